/// <reference lib="dom" />
/**
 * The page's script (bundled for the browser by scripts/package.mjs, served by the app at `open.js`): asks for
 * the password (or, on a link that offers it, fetches the file key from the app once), fetches the object block
 * by block, verifies and decrypts every block here, and saves the file. Nothing it learns (password, file key,
 * plaintext) is ever sent anywhere.
 */
import {
  ChunkDecryptor,
  CorruptObjectError,
  HEADER_PROBE_BYTES,
  parseHeader,
  unlockHeader,
  unlockWithFileKey,
  WrongPasswordError,
  type ObjectHeader,
  type UnlockedObject,
} from '../../crypto';
import { readDag } from '../../ipfs/DagReader';
import { CidMismatchError } from '../../ipfs/errors';
import { LinkRefusedError, VerifiedBlocks, type BlockRoute } from './blocks';
import { fetchFileKey, KeyRefusedError } from './key';
import { openSink, safeFileName } from './save';
import type { PageConfig } from '../pageConfig';

const config = JSON.parse(document.getElementById('page-config')?.textContent ?? '{}') as PageConfig;
const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const form = element<HTMLFormElement>('unlock');
const passwordField = element<HTMLInputElement>('password');
const saveButton = element<HTMLButtonElement>('save');
const status = element<HTMLParagraphElement>('status');
const progress = element<HTMLProgressElement>('progress');
const keyOffer = element<HTMLElement>('key-offer');
const keyButton = element<HTMLButtonElement>('use-key');

function say(key: string, params: Record<string, string | number> = {}, failed = false): void {
  const template = config.strings[key] ?? key;
  status.textContent = template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
  status.dataset.state = failed ? 'error' : key;
}

function route(): BlockRoute {
  if (config.gatewayUrl) return { kind: 'gateway', gatewayUrl: config.gatewayUrl };
  return { kind: 'app', blockUrl: config.blockUrl, root: config.cid, capability: location.hash.slice(1) };
}

function explain(error: unknown): void {
  if (error instanceof WrongPasswordError) say('page_wrong_password', {}, true);
  else if (error instanceof CidMismatchError) say('page_tampered', {}, true);
  else if (error instanceof CorruptObjectError) say('page_corrupt', {}, true);
  else if (error instanceof LinkRefusedError) say('page_link_refused', {}, true);
  else if (error instanceof KeyRefusedError) say('page_key_refused', {}, true);
  else say('page_failed', { reason: error instanceof Error ? error.message : String(error) }, true);
}

/** An object whose header opened with the password, and the reader positioned after its first block. */
interface Opened {
  readonly unlocked: UnlockedObject;
  readonly blocks: AsyncIterator<Uint8Array, void>;
  readonly rest: Uint8Array;
  readonly total: number;
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Fetches blocks until the header is complete, then opens it with `unlock` (the password's or the key's way). */
async function open(unlock: (header: ObjectHeader) => Promise<UnlockedObject>): Promise<Opened> {
  let total = 0;
  const blocks = readDag(new VerifiedBlocks(route()), config.cid, {
    onProgress: (done, all) => {
      total = all;
      progress.value = all ? done / all : 1;
    },
  })[Symbol.asyncIterator]();
  let head = new Uint8Array(0);
  while (head.length < HEADER_PROBE_BYTES) {
    const next = await blocks.next();
    if (next.done) break;
    const joined = new Uint8Array(head.length + next.value.length);
    joined.set(head);
    joined.set(next.value, head.length);
    head = joined;
  }
  const header = parseHeader(head);
  const unlocked = await unlock(header);
  return { unlocked, blocks, rest: head.subarray(header.headerLength), total };
}

/** The person closed the save dialog: nothing was read past the header, so they may choose again. */
class SaveCancelledError extends Error {}

async function save(opened: Opened): Promise<void> {
  const { name, mediaType, size } = opened.unlocked.metadata;
  const sink = await openSink(safeFileName(name), mediaType ?? '').catch((error: unknown) => {
    throw error instanceof DOMException && error.name === 'AbortError' ? new SaveCancelledError() : error;
  });
  const decryptor = new ChunkDecryptor(opened.unlocked);
  try {
    await sink.write(decryptor.push(opened.rest));
    for (let next = await opened.blocks.next(); !next.done; next = await opened.blocks.next()) {
      await sink.write(decryptor.push(next.value));
      say('page_progress', { percent: Math.floor(progress.value * 100) });
    }
    await sink.write(decryptor.finish());
    await sink.close(); // a close that fails (disk full) is a failed save too
  } catch (error) {
    await sink.abort();
    throw error;
  }
  progress.value = 1;
  say('page_done', { name, size });
}

let opened: Opened | undefined;

function ready(result: Opened, sentence: string): void {
  opened = result;
  form.hidden = true;
  keyOffer.hidden = true;
  saveButton.hidden = false;
  const { name, size } = result.unlocked.metadata;
  say(sentence, { name: safeFileName(name), size });
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const password = passwordField.value;
  form.querySelector('button')?.setAttribute('disabled', '');
  progress.hidden = false;
  say('page_fetching');
  open(async (header) => {
    say('page_checking');
    await pause(); // let the message paint before scrypt holds the thread
    return unlockHeader(header, password);
  })
    .then((result) => {
      passwordField.value = '';
      ready(result, 'page_ready');
    })
    .catch((error: unknown) => {
      form.querySelector('button')?.removeAttribute('disabled');
      passwordField.select();
      explain(error);
    });
});

/** The key's way: one request for the file key (the app re-checks the right), then the same blocks and checks. */
keyButton.addEventListener('click', () => {
  keyButton.disabled = true;
  progress.hidden = false;
  say('page_key_fetching');
  let fileKey: Uint8Array | undefined;
  fetchFileKey(config.keyUrl, config.cid, location.hash.slice(1))
    .then((key) => {
      fileKey = key;
      say('page_fetching');
      return open((header) => Promise.resolve(unlockWithFileKey(header, key)));
    })
    .then((result) => ready(result, 'page_key_ready'))
    .catch((error: unknown) => {
      // the key is spent or refused: the password is the way left, and the page says why
      keyButton.hidden = true;
      passwordField.focus();
      if (fileKey && error instanceof CorruptObjectError) say('page_key_wrong', {}, true);
      else explain(error);
    })
    .finally(() => fileKey?.fill(0));
});
saveButton.addEventListener('click', () => {
  if (!opened) return;
  const ready = opened;
  opened = undefined;
  saveButton.hidden = true;
  save(ready).catch((error: unknown) => {
    if (!(error instanceof SaveCancelledError)) return explain(error);
    opened = ready;
    saveButton.hidden = false;
    say('page_save_cancelled');
  });
});

if (!config.gatewayUrl && !location.hash.slice(1)) say('page_link_refused', {}, true);
