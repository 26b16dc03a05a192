/**
 * `npm run demo`: store → directory → get by name without a password → share for an hour → expiry → get with
 * the password → archive mode (an owner turns it on, an upload is archived, opened outside, a member gets it back),
 * on the playground's setup, printing each step with its elapsed time. Exits 0 only if every
 * check held. Options: --zip <app.zip> --ipfs-repo <dir> --downloads <dir>.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isContextualBar, menusOf, renderBar } from './contextualBar';
import { archiveScenario } from './demoArchive';
import { getWithKey, getWithPassword, Report, store, told } from './demoSteps';
import { Feed } from './feed';
import { sampleText } from './files';
import { formatSize } from './render';
import { botUser, ROOT, startWorld, type World } from './world';

const HOUR = 3_600_000;
const report = new Report();

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

async function scenario(world: World, feed: Feed): Promise<void> {
  const { host, general } = world;
  const alice = world.users.get('alice')!;
  const bob = world.users.get('bob')!;
  const data = randomBytes(2 << 20);
  const text = Buffer.from(sampleText());

  report.say('alice uploads demo-data.bin (2 MiB of random bytes) and demo-notes.txt to #general');
  host.uploadFile(alice, general, { name: 'demo-data.bin', bytes: data });
  const notes = host.uploadFile(alice, general, { name: 'demo-notes.txt', bytes: text });

  report.say('alice runs /ipfs put and fills the modal');
  const dataCid = await store(world, report, alice, 'demo-data.bin', () =>
    host.runSlashCommand(alice, general, '/ipfs put'),
  );
  const reply = host.messages(general.id).find((m) => m.threadId && m.text?.includes(dataCid));
  report.check(Boolean(reply), 'the CID was posted as a thread reply to the file');

  report.say('alice clicks "Store on IPFS" on demo-notes.txt and fills the modal');
  const notesCid = await store(world, report, alice, 'demo-notes.txt', () =>
    host.clickMessageAction(alice, notes, 'ipfs_store_message_file'),
  );

  report.say('alice runs /ipfs list: her directory opens in the contextual bar');
  const list = await host.runSlashCommand(alice, general, '/ipfs list');
  const bar = list.opened[0];
  if (!bar) throw new Error(`no contextual bar opened; the app said: ${told(list) || '(nothing)'}`);
  renderBar(bar).forEach((l) => report.detail(l));
  const blocks = JSON.stringify(bar.blocks);
  report.check(isContextualBar(bar), 'a view of type contextualBar');
  report.check(
    ['demo-data.bin', 'demo-notes.txt', dataCid, notesCid].every((s) => blocks.includes(s)),
    'both files are listed with their CIDs',
  );
  report.check(menusOf(bar).length === 2, 'each file has its menu (get, share, history, remove)');
  report.timing('directory opened', list.ms);
  await host.closeView(alice, bar.id);

  report.say('alice runs /ipfs get demo-data.bin: by name, without a password');
  const own = await getWithKey(world, feed, report, alice, 'demo-data.bin');
  report.check(fs.readFileSync(own.path).equals(data), 'demo-data.bin came back byte-identical');

  report.say('alice runs /ipfs share demo-data.bin @bob 1h');
  const shared = await host.runSlashCommand(alice, general, '/ipfs share demo-data.bin @bob 1h');
  report.detail(told(shared));
  report.check(/shared with @bob until/.test(told(shared)), 'alice is told until when');
  const bot = botUser(host);
  const bobDm = bot && host.directRoom(bob, bot);
  const letter = bobDm && host.messages(bobDm.id).find((m) => m.text?.includes(dataCid));
  report.detail(`bob's direct message from the app: ${letter?.text ?? '(none)'}`);
  report.check(Boolean(letter), 'bob is told in a direct message, with the CID');
  report.timing('share answer', shared.ms);

  report.say(`bob runs /ipfs get ${dataCid}: he holds a key now`);
  const bobs = await getWithKey(world, feed, report, bob, dataCid);
  report.check(fs.readFileSync(bobs.path).equals(data), 'demo-data.bin came back to bob byte-identical');

  report.say('two hours pass (host.advanceClock(2 h)): the share ends');
  await host.advanceClock(2 * HOUR);
  const uploads = host.uploads().length;
  const refused = await host.runSlashCommand(bob, general, `/ipfs get ${dataCid}`);
  report.detail(told(refused));
  report.check(refused.opened.length === 0 && /ended/.test(told(refused)), 'bob is refused: his access ended');
  await new Promise((resolve) => setTimeout(resolve, 500));
  report.check(host.uploads().length === uploads, 'nothing was delivered');
  report.timing('refusal answer', refused.ms);

  report.say(`bob runs /ipfs get ${notesCid} (demo-notes.txt, never shared): the password modal`);
  const got = await getWithPassword(world, feed, report, bob, notesCid);
  fs.readFileSync(got.path, 'utf8')
    .split('\n')
    .slice(0, 3)
    .forEach((l) => report.detail(`  | ${l}`));
  report.check(fs.readFileSync(got.path).equals(text), 'demo-notes.txt came back byte-identical');

  await archiveScenario(world, feed, report);

  const errors = host.appErrors();
  report.check(errors.length === 0, `no error in the app's logs${errors.map((e) => `\n  ${e}`).join('')}`);
  report.check(host.gaps.length === 0, `no host gap${host.gaps.map((g) => `\n  ${g}`).join('')}`);
  report.detail(`files written: ${feed.saved.map((f) => `${f.name} (${formatSize(f.size)})`).join(', ')}`);
}

async function main(): Promise<number> {
  const defaultDownloads = path.join(ROOT, '.cache', 'demo-downloads');
  const downloads = option('--downloads', defaultDownloads);
  if (downloads === defaultDownloads) fs.rmSync(downloads, { recursive: true, force: true }); // the demo's own
  report.say('starting a local IPFS node and the workspace host (real Apps-Engine + Deno) with the packaged app');
  const world = await startWorld({
    appZip: process.argv.includes('--zip') ? option('--zip', '') : undefined,
    ipfsRepo: option('--ipfs-repo', path.join(ROOT, '.cache', 'demo-ipfs')),
    downloads,
    log: (l) => report.detail(l),
  });
  const feed = new Feed(world.host, world.downloads, () => undefined);
  feed.poll();
  try {
    await scenario(world, feed);
  } catch (err) {
    report.failures += 1;
    report.say(`✗ FAILED: ${err instanceof Error ? err.message : String(err)}`);
    world.host.appErrors().forEach((e) => report.detail(`app error: ${e}`));
  } finally {
    report.say('stopping the workspace host and the IPFS node');
    await world.stop();
  }
  report.say('timings:');
  for (const [label, ms] of report.timings) report.detail(`${label.padEnd(44)} ${String(ms).padStart(6)} ms`);
  const ok = report.failures === 0;
  report.say(ok ? 'demo: every step held ✓' : `demo: ${report.failures} check(s) failed ✗`);
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`demo: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
