import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import type { InteractionResult } from '../host';
import { BarDriver, isContextualBar, renderBar } from './contextualBar';
import type { Feed } from './feed';
import { fileFromArgs } from './files';
import { fillModal, type FormIO } from './modalForm';
import { formatRoom, formatSize, roomLabel } from './render';
import { botUser, type World } from './world';

export const HELP = [
  'Commands (you are a user of the workspace, in a room):',
  '  /ipfs put | get <CID|name|name@n> | list | history <name> | share <name> @bob 1h | unshare <name> @bob',
  '  /ipfs rm <name|name@n|CID> | revoke <name> | status | help   (any slash command, as you, here)',
  '  /ipfs archive on|off|status   archive every upload of this room (alice owns #general)',
  "  /thread <messageId>   enter that message's thread     /thread   leave it",
  "  upload <path>         share a local file in the room (or thread) as the chat's upload button does:",
  "                        the app's upload hook runs, and archives the file where archiving is on",
  '  upload --random <size> [name]   share random bytes, e.g. upload --random 5MB name.bin',
  "  messages              the room's messages (ids, senders, files, threads)",
  "  dm                    your direct messages with the app's bot",
  '  action <messageId|last> <actionId>   click a message action, e.g. action last ipfs_store_message_file',
  '  as <username>         switch user (alice, bob; a new name creates that user)',
  'The contextual bar (/ipfs list opens it):',
  "  menu <n> <get|share|history|remove>   the n-th file's ⋯ menu     search <text>   type into its search",
  '  page <n|next|prev>    another page     back   back to the list     close   close it     bar   show it again',
  '  clock +2h             move the workspace clock ahead (s, m, h, d) and run the jobs due, e.g. share expiry',
  '  wait <text> [seconds] wait until a message or notice containing <text> arrives (for scripts)',
  "  logs                  the app's log entries with errors",
  '  help                  this text          quit   stop everything (also Ctrl-C)',
  'Forms: the app\'s modals are asked field by field; Enter keeps the [value], "cancel" closes the modal.',
  'Messages the app edits in place show as "✎ ‹id› new text".',
];

/** The playground's state (who you are, where) and what each command line does. */
export class Session {
  user: IUser;
  room: IRoom;
  threadId?: string;

  constructor(
    private readonly world: World,
    private readonly feed: Feed,
    private readonly io: FormIO,
  ) {
    this.user = world.users.get('alice')!;
    this.room = world.general;
  }

  get prompt(): string {
    const thread = this.threadId ? ` thread ‹${this.threadId}›` : '';
    return `${this.user.username}@${roomLabel(this.room)}${thread}> `;
  }

  /** Runs one line; resolves false when the session should end. */
  async run(line: string): Promise<boolean> {
    const text = line.trim();
    if (!text || text.startsWith('#')) return true;
    const [word, ...args] = text.split(/\s+/);
    switch (word) {
      case 'quit':
      case 'exit':
        return false;
      case 'help':
        HELP.forEach((l) => this.io.print(l));
        break;
      case '/thread':
        this.enterThread(args[0]);
        break;
      case 'upload':
        await this.upload(args);
        break;
      case 'messages':
        formatRoom(this.world.host.ws, this.room.id).forEach((l) => this.io.print(l));
        break;
      case 'dm':
        this.showDm();
        break;
      case 'action':
        await this.action(args[0], args[1]);
        break;
      case 'as':
        this.switchUser(args[0]);
        break;
      case 'wait':
        await this.wait(args);
        break;
      case 'menu':
      case 'search':
      case 'page':
      case 'back':
      case 'close':
        await this.barCommand(word, args);
        break;
      case 'bar':
        renderBar(new BarDriver(this.world.host, this.user, this.room).current()).forEach((l) => this.io.print(l));
        break;
      case 'clock':
        await this.clock(args[0]);
        break;
      case 'logs':
        this.world.host.appErrors().forEach((l) => this.io.print(l));
        this.io.print(
          `(${this.world.host.appLogs().length} log entries, ${this.world.host.appErrors().length} errors)`,
        );
        break;
      default:
        if (word.startsWith('/')) await this.slash(text);
        else this.io.print(`unknown command "${word}"; type help`);
    }
    return true;
  }

  private enterThread(id: string | undefined): void {
    if (!id) {
      this.threadId = undefined;
      this.io.print('left the thread');
      return;
    }
    const message = this.findMessage(id);
    this.threadId = message.threadId ?? message.id;
    this.io.print(`in the thread of ‹${this.threadId}›`);
  }

  /** The upload request as Rocket.Chat's server runs it (host.upload): the apps' IPreFileUpload hook included. */
  private async upload(args: string[]): Promise<void> {
    const file = fileFromArgs(args);
    const trace = await this.world.host.upload(this.user, this.room, file, { threadId: this.threadId });
    this.feed.poll();
    const hookMs = trace.steps.map((s) => (s.step === 'IPreFileUpload' ? s.ms : 0)).reduce((a, b) => a + b, 0);
    const size = formatSize(file.bytes.length);
    this.io.print(`uploaded ${file.name} (${size}) as message ‹${trace.message?.id}› (upload hook: ${hookMs} ms)`);
  }

  private showDm(): void {
    const bot = botUser(this.world.host);
    const dm = bot && this.world.host.directRoom(this.user, bot);
    if (!dm) this.io.print(`(no direct messages between ${this.user.username} and the app's bot yet)`);
    else formatRoom(this.world.host.ws, dm.id).forEach((l) => this.io.print(l));
  }

  private async slash(text: string): Promise<void> {
    const result = await this.world.host.runSlashCommand(this.user, this.room, text, { threadId: this.threadId });
    await this.afterInteraction(result, text.split(' ')[0]);
  }

  private async action(ref: string | undefined, actionId: string | undefined): Promise<void> {
    if (!ref || !actionId) throw new Error('usage: action <messageId|last> <actionId>');
    const message = this.findMessage(ref);
    const result = await this.world.host.clickMessageAction(this.user, message, actionId);
    await this.afterInteraction(result, `action ${actionId}`);
  }

  private async barCommand(word: string, args: string[]): Promise<void> {
    const bar = new BarDriver(this.world.host, this.user, this.room);
    let result: InteractionResult;
    if (word === 'menu') {
      if (!args[0] || !args[1]) throw new Error('usage: menu <n> <get|share|history|remove>');
      result = await bar.menu(Number(args[0]), args[1]);
    } else if (word === 'search') result = await bar.search(args.join(' '));
    else if (word === 'page') result = await bar.page(args[0] ?? '');
    else if (word === 'back') result = await bar.back();
    else result = await bar.close();
    await this.afterInteraction(result, [word, ...args].join(' '));
  }

  /** `clock +2h`: the workspace clock moves ahead and the scheduler jobs that fall due run. */
  private async clock(arg: string | undefined): Promise<void> {
    const m = /^\+?(\d+(?:\.\d+)?)(s|m|h|d)$/.exec(arg ?? '');
    if (!m) throw new Error('usage: clock +<n><s|m|h|d>, e.g. clock +2h');
    const ms = Number(m[1]) * { s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7 }[m[2] as 's' | 'm' | 'h' | 'd'];
    const host = this.world.host;
    const due = [...host.bridges.scheduler.jobs.values()].filter(
      (j) => j.runAt.getTime() <= host.ws.now().getTime() + ms,
    );
    await host.advanceClock(ms);
    this.feed.poll();
    this.io.print(
      `clock moved ${m[1]}${m[2]} ahead: it is now ${host.ws.now().toISOString()}; ${due.length} job(s) ran`,
    );
  }

  /** Reports the answer, shows a contextual bar it opened or changed, then fills any modal now open. */
  private async afterInteraction(result: InteractionResult, what: string): Promise<void> {
    this.feed.poll();
    this.io.print(`  (${what} answered in ${result.ms} ms)`);
    const bars = [...result.opened, ...result.updated].filter(isContextualBar);
    const shown = bars.at(-1) && this.world.host.openViews(this.user).find((v) => v.id === bars.at(-1)!.id);
    if (shown) renderBar(shown).forEach((l) => this.io.print(l));
    for (const id of result.closed) this.io.print(`  (view ${id} closed)`);
    for (;;) {
      const view = this.world.host.openViews(this.user).find((v) => !isContextualBar(v));
      if (!view) return;
      await fillModal(this.world.host, this.user, view.id, this.io);
      this.feed.poll();
    }
  }

  private switchUser(username: string | undefined): void {
    if (!username) throw new Error('usage: as <username>');
    let user = this.world.users.get(username);
    if (!user) {
      user = this.world.host.addUser({ username });
      this.world.users.set(username, user);
      this.io.print(`created user ${username} in #general`);
    }
    this.user = user;
    if (!this.room.userIds?.includes(user.id)) this.room = this.world.general;
    this.io.print(`you are ${username}`);
  }

  private async wait(args: string[]): Promise<void> {
    const seconds = args.length > 1 && /^\d+(\.\d+)?$/.test(args.at(-1)!) ? Number(args.pop()) : 60;
    const text = args.join(' ');
    if (!text) throw new Error('usage: wait <text> [seconds]');
    await this.feed.waitForText(text, seconds * 1000);
  }

  /** A message of the current room by id (or unique id prefix), or `last`: the newest with a file. */
  private findMessage(ref: string): IMessage {
    const ws = this.world.host.ws;
    const inRoom = ws.messages.filter((m) => m.roomId === this.room.id);
    const scope = this.threadId ? inRoom.filter((m) => m.id === this.threadId || m.threadId === this.threadId) : inRoom;
    const matches =
      ref === 'last'
        ? [[...scope].reverse().find((m) => m.file) ?? scope.at(-1)].filter((m) => m !== undefined)
        : inRoom.filter((m) => m.id === ref || m.id.startsWith(ref));
    if (matches.length !== 1) throw new Error(`no single message ${ref} in ${roomLabel(this.room)}`);
    return ws.toAppMessage(matches[0]);
  }
}
