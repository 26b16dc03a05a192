/** The demo's archive mode step (issue #11): a room owner turns archiving on, uploads, and the file is archived. */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { archiveOutcome } from './archiveOutcome';
import { delivered, openedModal, told, type Report } from './demoSteps';
import type { Feed } from './feed';
import { OutsideOpener } from './outsideOpener';
import type { World } from './world';

const ARCHIVE_PASSWORD = 'our team archive 2026';
const NAME = 'demo-archive.bin';
const ARCHIVE_WAIT_MS = 60_000;

/**
 * alice (an owner of #general) turns archiving on through the form, uploads a file with the chat's upload button
 * (the app's IPreFileUpload hook), the file is archived in the background; the object opens outside the app with
 * the archive password (the command-line opener), and bob, a member, gets it back without the password.
 */
export async function archiveScenario(world: World, feed: Feed, report: Report): Promise<void> {
  const { host, general } = world;
  const alice = world.users.get('alice')!;
  const bob = world.users.get('bob')!;

  report.say('alice, an owner of #general, runs /ipfs archive on: a form asks for the archive password twice');
  const viewId = openedModal(report, await host.runSlashCommand(alice, general, '/ipfs archive on'));
  report.detail(`answers: Archive password = ${ARCHIVE_PASSWORD} (twice)`);
  const on = await host.submitViewValues(alice, viewId, {
    ipfs_password: ARCHIVE_PASSWORD,
    ipfs_password_confirm: ARCHIVE_PASSWORD,
  });
  report.detail(told(on));
  report.check(on.closed.includes(viewId) && Object.keys(on.errors).length === 0, 'the form closed without errors');
  report.check(/Archiving is on/.test(told(on)), 'alice is told that archiving is on');

  report.say(`alice uploads ${NAME} (2 MiB of random bytes) with the chat's upload button`);
  const bytes = randomBytes(2 << 20);
  const started = Date.now();
  const trace = await host.upload(alice, general, { name: NAME, bytes });
  const hook = trace.steps.find((s) => s.step === 'IPreFileUpload');
  report.timing('upload request (hook included)', Date.now() - started);
  report.timing('IPreFileUpload hook', hook?.step === 'IPreFileUpload' ? hook.ms : NaN);
  report.check(Boolean(trace.message?.file), 'the file message was posted without waiting for the archive');
  const outcome = await host.waitFor(() => archiveOutcome(host, NAME), ARCHIVE_WAIT_MS);
  if (outcome.status !== 'archived' || !outcome.cid) {
    throw new Error(`${NAME} was not archived: ${outcome.status} ${outcome.reason ?? ''}`);
  }
  const cid = outcome.cid;
  report.timing(`until archived (${NAME})`, Date.now() - started);
  report.detail(`archived CID: ${cid}`);
  const fileMessageId = trace.message?.id;
  const notice = await host
    .waitFor(() => host.messages(general.id).find((m) => m.threadId === fileMessageId && m.text?.includes(cid)), 10_000)
    .catch(() => undefined);
  report.detail(`thread reply on the file (the playground's notice setting): ${notice?.text ?? '(none)'}`);
  report.check(Boolean(notice), 'members see it archived: a thread reply on the file with the CID');
  const status = await host.runSlashCommand(alice, general, '/ipfs archive status');
  report.detail(told(status));
  report.check(/Archived: 1 · pending: 0 · not archived: 0/.test(told(status)), '/ipfs archive status counts it');

  report.say('outside the chat: the command-line opener fetches the CID from the node and opens it with the password');
  const opener = OutsideOpener.build(world.node.apiUrl, ARCHIVE_PASSWORD);
  try {
    const openedAt = Date.now();
    const opened = await opener.open(cid);
    report.timing('opener (fetch, verify, scrypt, decrypt)', Date.now() - openedAt);
    report.check(opened.name === NAME && opened.bytes.equals(bytes), `the opener wrote ${NAME}, byte-identical`);
  } finally {
    opener.dispose();
  }

  report.say(`bob, a member of #general, runs /ipfs get ${cid}: no password needed`);
  const saved = feed.saved.length;
  const got = await host.runSlashCommand(bob, general, `/ipfs get ${cid}`);
  report.detail(told(got));
  report.check(got.opened.length === 0, 'no password modal for a member');
  const file = await delivered(world, feed, report, bob, saved);
  report.check(fs.readFileSync(file.path).equals(bytes), `${NAME} came back to bob byte-identical`);
}
