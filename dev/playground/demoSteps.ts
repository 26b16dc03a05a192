/** The demo's building blocks: its report (steps, checks, timings) and the store / get interactions it checks. */
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import type { InteractionResult } from '../host';
import type { Feed, SavedFile } from './feed';
import { fieldsOf, renderView } from './modalForm';
import { botUser, type World } from './world';

export const PASSWORD = 'correct horse battery staple';
const WAIT_MS = 120_000;

/** Prints steps with the elapsed time, details under them, checks (counting failures) and timings. */
export class Report {
  private readonly started = Date.now();
  readonly timings: Array<[string, number]> = [];
  failures = 0;

  say(line: string): void {
    console.log(`[${((Date.now() - this.started) / 1000).toFixed(1).padStart(5)} s] ${line}`);
  }
  detail(line: string): void {
    console.log(`          ${line.replace(/\n/g, '\n          ')}`);
  }
  check(ok: boolean, what: string): boolean {
    if (!ok) this.failures += 1;
    this.detail(`${ok ? '✓' : '✗ FAILED:'} ${what}`);
    return ok;
  }
  timing(label: string, ms: number): void {
    this.timings.push([label, ms]);
    this.detail(`⏱ ${label}: ${ms} ms`);
  }
}

/** What an interaction told the user (ephemeral texts), one per line. */
export function told(result: InteractionResult): string {
  return result.ephemeral.map((m) => m.text ?? '').join('\n');
}

/** The single modal `result` opened, printed as the playground shows it; throws when none opened. */
export function openedModal(report: Report, result: InteractionResult): string {
  const view = result.opened[0];
  if (!view) throw new Error(`no modal opened; the app said: ${told(result) || '(nothing)'}`);
  renderView(view).forEach((l) => report.detail(l));
  return view.id;
}

/** Stores the file named `name` as `user`: the put modal (opened by `open`) answered with the file and password. */
export async function store(
  world: World,
  report: Report,
  user: IUser,
  name: string,
  open: () => Promise<InteractionResult>,
): Promise<string> {
  const host = world.host;
  const viewId = openedModal(report, await open());
  const view = host.openViews(user).find((v) => v.id === viewId)!;
  const choice = fieldsOf(view)[0].options.find((o) => o.label.startsWith(`${name} `));
  if (!choice) throw new Error(`${name} is not offered in the modal`);
  const since = host.ephemeral(user).length;
  report.detail(`answers: File = ${choice.label}, Password = ${PASSWORD} (twice)`);
  const submitted = Date.now();
  const r = await host.submitViewValues(user, viewId, {
    ipfs_file: choice.value,
    ipfs_password: PASSWORD,
    ipfs_password_confirm: PASSWORD,
  });
  report.check(r.closed.includes(viewId) && Object.keys(r.errors).length === 0, 'the modal closed without errors');
  report.timing(`put modal answer (${name})`, r.ms);
  const notice = await host.waitFor(
    () =>
      host
        .ephemeral(user)
        .slice(since)
        .find((m) => m.text?.includes('CID: `') || m.text?.startsWith('❌')),
    WAIT_MS,
  );
  const cid = /CID: `([^`]+)`/.exec(notice.text ?? '')?.[1];
  if (!cid) throw new Error(`the store failed: ${notice.text}`);
  report.timing(`until stored (${name})`, Date.now() - submitted);
  report.detail(`CID: ${cid}`);
  return cid;
}

/** Waits for the next file the app delivers after `saved` files, and checks it went to `user`'s DM with the bot. */
export async function delivered(
  world: World,
  feed: Feed,
  report: Report,
  user: IUser,
  saved: number,
): Promise<SavedFile> {
  const file = await world.host.waitFor(() => (feed.poll(), feed.saved[saved]), WAIT_MS);
  const bot = botUser(world.host);
  const dm = bot && world.host.directRoom(user, bot);
  report.detail(`delivered ${file.name} → ${file.path}`);
  report.check(dm?.id === file.roomId, `delivered in ${user.username}'s direct messages with ${bot?.username}`);
  return file;
}

/** `/ipfs get <ref>` by someone who holds the key: no modal, "you hold its key", then the file. */
export async function getWithKey(
  world: World,
  feed: Feed,
  report: Report,
  user: IUser,
  ref: string,
): Promise<SavedFile> {
  const saved = feed.saved.length;
  const started = Date.now();
  const r = await world.host.runSlashCommand(user, world.general, `/ipfs get ${ref}`);
  report.detail(told(r));
  report.check(r.opened.length === 0, 'no password modal');
  report.check(/you hold its key/.test(told(r)), `${user.username} is told they hold the key`);
  report.timing(`get answer (${user.username}, ${ref.slice(0, 16)})`, r.ms);
  const file = await delivered(world, feed, report, user, saved);
  report.timing(`until delivered (${user.username}, ${file.name})`, Date.now() - started);
  return file;
}

/** `/ipfs get <cid>` through the password modal: one wrong password first, then the right one. */
export async function getWithPassword(
  world: World,
  feed: Feed,
  report: Report,
  user: IUser,
  cid: string,
): Promise<SavedFile> {
  const host = world.host;
  const viewId = openedModal(report, await host.runSlashCommand(user, world.general, `/ipfs get ${cid}`));
  report.detail('answers: Password = not the password');
  const wrong = await host.submitViewValues(user, viewId, { ipfs_cid: cid, ipfs_password: 'not the password' });
  const view = host.openViews(user).find((v) => v.id === viewId);
  if (view) renderView(view, wrong.errors).forEach((l) => report.detail(l));
  report.check(
    Boolean(wrong.errors.ipfs_password) && Boolean(view),
    `answered inside the modal: "${wrong.errors.ipfs_password}"`,
  );
  report.timing('wrong-password answer', wrong.ms);
  const saved = feed.saved.length;
  report.detail(`answers: Password = ${PASSWORD}`);
  const submitted = Date.now();
  const r = await host.submitViewValues(user, viewId, { ipfs_cid: cid, ipfs_password: PASSWORD });
  report.check(r.closed.includes(viewId) && Object.keys(r.errors).length === 0, 'password accepted, the modal closed');
  report.timing(`get modal answer (${user.username}, ${cid.slice(0, 12)}…)`, r.ms);
  const file = await delivered(world, feed, report, user, saved);
  report.timing(`until delivered (${user.username}, ${file.name})`, Date.now() - submitted);
  return file;
}
