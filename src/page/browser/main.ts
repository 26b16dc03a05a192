/// <reference lib="dom" />
/**
 * The page's script (bundled for the browser by scripts/package.mjs, served by the app at `open.js`): asks for
 * the password, fetches the object block by block, verifies and decrypts every block here, and saves the file.
 * Nothing it learns (password, file key, plaintext) is ever sent anywhere.
 */
import {
  ChunkDecryptor,
  CorruptObjectError,
  HEADER_PROBE_BYTES,
  parseHeader,
  unlockHeader,
  WrongPasswordError,
  type UnlockedObject,
} from '../../crypto';
import { readDag } from '../../ipfs/DagReader';
import { CidMismatchError } from '../../ipfs/errors';
import { LinkRefusedError, VerifiedBlocks, type BlockRoute } from './blocks';
import { openSink, safeFileName } from './save';
import type { PageConfig } from '../pageConfig';

const config = JSON.parse(document.getElementById('page-config')?.textContent ?? '{}') as PageConfig;
const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const form = element<HTMLFormElement>('unlock');
const passwordField = element<HTMLInputElement>('password');
const saveButton = element<HTMLButtonElement>('save');
const status = element<HTMLParagraphElement>('status');
const progress = element<HTMLProgressElement>('progress');

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

async function open(password: string): Promise<Opened> {
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
  say('page_checking');
  await pause(); // let the message paint before scrypt holds the thread
  const unlocked = unlockHeader(header, password);
  return { unlocked, blocks, rest: head.subarray(header.headerLength), total };
}

async function save(opened: Opened): Promise<void> {
  const { name, mediaType, size } = opened.unlocked.metadata;
  const sink = await openSink(safeFileName(name), mediaType ?? '');
  const decryptor = new ChunkDecryptor(opened.unlocked);
  try {
    await sink.write(decryptor.push(opened.rest));
    for (let next = await opened.blocks.next(); !next.done; next = await opened.blocks.next()) {
      await sink.write(decryptor.push(next.value));
      say('page_progress', { percent: Math.floor(progress.value * 100) });
    }
    await sink.write(decryptor.finish());
  } catch (error) {
    await sink.abort();
    throw error;
  }
  await sink.close();
  progress.value = 1;
  say('page_done', { name, size });
}

let opened: Opened | undefined;

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const password = passwordField.value;
  form.querySelector('button')?.setAttribute('disabled', '');
  progress.hidden = false;
  say('page_fetching');
  open(password)
    .then((result) => {
      opened = result;
      passwordField.value = '';
      form.hidden = true;
      saveButton.hidden = false;
      const { name, size } = result.unlocked.metadata;
      say('page_ready', { name: safeFileName(name), size });
    })
    .catch((error: unknown) => {
      form.querySelector('button')?.removeAttribute('disabled');
      passwordField.select();
      explain(error);
    });
});

saveButton.addEventListener('click', () => {
  if (!opened) return;
  const ready = opened;
  opened = undefined;
  saveButton.hidden = true;
  save(ready).catch(explain);
});

if (!config.gatewayUrl && !location.hash.slice(1)) say('page_link_refused', {}, true);
