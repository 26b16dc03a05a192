/**
 * `npm run demo`: store → list → get without questions, on the playground's setup, printing each step with its
 * elapsed time. Exits 0 only if every check held. Options: --zip <app.zip> --ipfs-repo <dir> --downloads <dir>.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import type { InteractionResult } from '../host';
import { Feed } from './feed';
import type { SavedFile } from './feed';
import { sampleText } from './files';
import { fieldsOf, renderView } from './modalForm';
import { formatSize } from './render';
import { ROOT, startWorld, type World } from './world';

const PASSWORD = 'correct horse battery staple';
const started = Date.now();
const timings: Array<[string, number]> = [];
let failures = 0;

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
function say(line: string): void {
  console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${line}`);
}
function detail(line: string): void {
  console.log(`          ${line.replace(/\n/g, '\n          ')}`);
}
function check(ok: boolean, what: string): void {
  if (!ok) failures += 1;
  detail(`${ok ? '✓' : '✗ FAILED:'} ${what}`);
}
function timing(label: string, ms: number): void {
  timings.push([label, ms]);
  detail(`⏱ ${label}: ${ms} ms`);
}

/** The single modal `result` opened, printed as the playground shows it. */
function openedModal(result: InteractionResult): string {
  const view = result.opened[0];
  if (!view) throw new Error(`no modal opened; ephemeral: ${result.ephemeral.map((m) => m.text).join(' | ')}`);
  renderView(view).forEach(detail);
  return view.id;
}

/** Waits for alice's next notice with a CID after `since` notices, and returns the CID. */
async function storedCid(world: World, user: IUser, since: number): Promise<string> {
  const notice = await world.host.waitFor(
    () =>
      world.host
        .ephemeral(user)
        .slice(since)
        .find((m) => m.text?.includes('CID: `') || m.text?.startsWith('❌')),
    120_000,
  );
  const cid = /CID: `([^`]+)`/.exec(notice.text ?? '')?.[1];
  if (!cid) throw new Error(`the store failed: ${notice.text}`);
  return cid;
}

/** Stores the file named `name`: the put modal (opened by `open`) answered with the file and the password. */
async function store(
  world: World,
  alice: IUser,
  name: string,
  open: () => Promise<InteractionResult>,
): Promise<string> {
  const viewId = openedModal(await open());
  const view = world.host.openViews(alice).find((v) => v.id === viewId)!;
  const choice = fieldsOf(view)[0].options.find((o) => o.label.startsWith(`${name} `));
  if (!choice) throw new Error(`${name} is not offered in the modal`);
  const since = world.host.ephemeral(alice).length;
  detail(`answers: File = ${choice.label}, Password = ${PASSWORD} (twice)`);
  const submitted = Date.now();
  const r = await world.host.submitViewValues(alice, viewId, {
    ipfs_file: choice.value,
    ipfs_password: PASSWORD,
    ipfs_password_confirm: PASSWORD,
  });
  check(r.closed.includes(viewId) && Object.keys(r.errors).length === 0, 'the modal closed without errors');
  timing(`put modal answer (${name})`, r.ms);
  const cid = await storedCid(world, alice, since);
  timing(`until stored (${name})`, Date.now() - submitted);
  detail(`CID: ${cid}`);
  return cid;
}

/** `/ipfs get <cid>`: optionally one wrong password first, then the right one; returns the delivered file. */
async function retrieve(world: World, feed: Feed, alice: IUser, cid: string, wrongFirst: boolean): Promise<SavedFile> {
  const viewId = openedModal(await world.host.runSlashCommand(alice, world.general, `/ipfs get ${cid}`));
  if (wrongFirst) {
    detail('answers: Password = not the password');
    const wrong = await world.host.submitViewValues(alice, viewId, {
      ipfs_cid: cid,
      ipfs_password: 'not the password',
    });
    const view = world.host.openViews(alice).find((v) => v.id === viewId);
    if (view) renderView(view, wrong.errors).forEach(detail);
    check(
      Boolean(wrong.errors.ipfs_password) && Boolean(view),
      `answered inside the modal: "${wrong.errors.ipfs_password}"`,
    );
    timing('wrong-password answer', wrong.ms);
  }
  const saved = feed.saved.length;
  detail(`answers: Password = ${PASSWORD}`);
  const submitted = Date.now();
  const r = await world.host.submitViewValues(alice, viewId, { ipfs_cid: cid, ipfs_password: PASSWORD });
  check(r.closed.includes(viewId) && Object.keys(r.errors).length === 0, 'password accepted, the modal closed');
  timing(`get modal answer (${cid.slice(0, 12)}…)`, r.ms);
  const file = await world.host.waitFor(() => (feed.poll(), feed.saved[saved]), 120_000);
  timing(`until delivered (${file.name})`, Date.now() - submitted);
  return file;
}

async function main(): Promise<number> {
  const defaultDownloads = path.join(ROOT, '.cache', 'demo-downloads');
  const downloads = option('--downloads', defaultDownloads);
  if (downloads === defaultDownloads) fs.rmSync(downloads, { recursive: true, force: true }); // the demo's own
  say('starting a local IPFS node and the workspace host (real Apps-Engine + Deno) with the packaged app');
  const world = await startWorld({
    appZip: process.argv.includes('--zip') ? option('--zip', '') : undefined,
    ipfsRepo: option('--ipfs-repo', path.join(ROOT, '.cache', 'demo-ipfs')),
    downloads,
    log: detail,
  });
  const feed = new Feed(world.host, world.downloads, () => undefined);
  feed.poll();
  try {
    const host = world.host;
    const alice = world.users.get('alice')!;
    const data = randomBytes(2 << 20);
    const text = Buffer.from(sampleText());

    say('alice uploads demo-data.bin (2 MiB of random bytes) and demo-notes.txt to #general');
    host.uploadFile(alice, world.general, { name: 'demo-data.bin', bytes: data });
    const notes = host.uploadFile(alice, world.general, { name: 'demo-notes.txt', bytes: text });

    say('alice runs /ipfs put and fills the modal');
    const dataCid = await store(world, alice, 'demo-data.bin', () =>
      host.runSlashCommand(alice, world.general, '/ipfs put'),
    );
    const reply = host.messages(world.general.id).find((m) => m.threadId && m.text?.includes(dataCid));
    check(Boolean(reply), 'the CID was posted as a thread reply to the file');

    say('alice clicks "Store on IPFS" on demo-notes.txt and fills the modal');
    const notesCid = await store(world, alice, 'demo-notes.txt', () =>
      host.clickMessageAction(alice, notes, 'ipfs_store_message_file'),
    );

    say('alice runs /ipfs list');
    const list = await host.runSlashCommand(alice, world.general, '/ipfs list');
    list.ephemeral.forEach((m) => detail(m.text ?? ''));
    const listed = list.ephemeral.map((m) => m.text ?? '').join('\n');
    check(listed.includes(dataCid) && listed.includes(notesCid), 'both CIDs are listed');

    say(`alice runs /ipfs get ${dataCid}: a wrong password first, then the right one`);
    const got = await retrieve(world, feed, alice, dataCid, true);
    detail(`delivered ${got.name} (${formatSize(got.size)}) → ${got.path}`);
    check(fs.readFileSync(got.path).equals(data), 'demo-data.bin came back byte-identical');
    const bot = host.ws.users.get(host.ws.messages.find((m) => m.id === got.messageId)!.senderId);
    const dm = bot && host.directRoom(alice, bot);
    check(dm?.id === got.roomId, `delivered in alice's direct messages with ${bot?.username}`);

    say(`alice runs /ipfs get ${notesCid}`);
    const gotNotes = await retrieve(world, feed, alice, notesCid, false);
    detail(`delivered ${gotNotes.name} → ${gotNotes.path}; it begins:`);
    fs.readFileSync(gotNotes.path, 'utf8')
      .split('\n')
      .slice(0, 3)
      .forEach((l) => detail(`  | ${l}`));
    check(fs.readFileSync(gotNotes.path).equals(text), 'demo-notes.txt came back byte-identical');

    check(
      host.appErrors().length === 0,
      `no error in the app's logs${host
        .appErrors()
        .map((e) => `\n  ${e}`)
        .join('')}`,
    );
    check(host.gaps.length === 0, `no host gap${host.gaps.map((g) => `\n  ${g}`).join('')}`);
  } catch (err) {
    failures += 1;
    say(`✗ FAILED: ${err instanceof Error ? err.message : String(err)}`);
    world.host.appErrors().forEach((e) => detail(`app error: ${e}`));
  } finally {
    say('stopping the workspace host and the IPFS node');
    await world.stop();
  }
  say('timings:');
  for (const [label, ms] of timings) detail(`${label.padEnd(36)} ${String(ms).padStart(6)} ms`);
  say(failures === 0 ? 'demo: every step held ✓' : `demo: ${failures} check(s) failed ✗`);
  return failures === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`demo: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
