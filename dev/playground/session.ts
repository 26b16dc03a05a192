import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import type { InteractionResult } from '../host';
import type { Feed } from './feed';
import { fileFromArgs } from './files';
import { fillModal, type FormIO } from './modalForm';
import { formatRoom, formatSize, roomLabel } from './render';
import { botUser, type World } from './world';

export const HELP = [
  'Commands (you are a user of the workspace, in a room):',
  '  /ipfs put | /ipfs get <CID> | /ipfs list | /ipfs status | /ipfs help   any slash command, as you, here',
  "  /thread <messageId>   enter that message's thread     /thread   leave it",
  '  upload <path>         share a local file in the room (or thread)',
  '  upload --random <size> [name]   share random bytes, e.g. upload --random 5MB name.bin',
  "  messages              the room's messages (ids, senders, files, threads)",
  "  dm                    your direct messages with the app's bot",
  '  action <messageId|last> <actionId>   click a message action, e.g. action last ipfs_store_message_file',
  '  as <username>         switch user (alice, bob; a new name creates that user)',
  '  wait <text> [seconds] wait until a message or notice containing <text> arrives (for scripts)',
  "  logs                  the app's log entries with errors",
  '  help                  this text          quit   stop everything (also Ctrl-C)',
  'Forms: the app\'s modals are asked field by field; Enter keeps the [value], "cancel" closes the modal.',
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
        this.upload(args);
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

  private upload(args: string[]): void {
    const file = fileFromArgs(args);
    const message = this.world.host.uploadFile(this.user, this.room, file, { threadId: this.threadId });
    this.feed.poll();
    this.io.print(`uploaded ${file.name} (${formatSize(file.bytes.length)}) as message ‹${message.id}›`);
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

  /** Reports the answer, then fills any modal the user now has open. */
  private async afterInteraction(result: InteractionResult, what: string): Promise<void> {
    this.feed.poll();
    this.io.print(`  (${what} answered in ${result.ms} ms)`);
    for (;;) {
      const view = this.world.host.openViews(this.user)[0];
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
