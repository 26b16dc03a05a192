import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { randomBytes } from '../crypto';
import type { Chat } from './Chat';

/** Edits are spaced out: each one is a round trip through the engine and a push to every client. */
const MIN_EDIT_INTERVAL_MS = 1000;

/** Where a progress message that cannot be a bot message is told instead: one user, in one room. */
interface EphemeralAudience {
  readonly user: IUser;
  readonly room: IRoom;
}

/**
 * One message that shows how a long job goes (stage and percentage), edited in place, and ends with the
 * result or the error. It lives in the user's direct messages with the app, where only they see it. Where the
 * workspace lets the bot post nothing there (an encrypted direct room), stages and the end are told to the user
 * as ephemeral notes instead, without percentages (an ephemeral note cannot be edited).
 */
export class ProgressMessage {
  private lastEdit = 0;
  private lastText = '';

  private constructor(
    private readonly chat: Chat,
    private readonly messageId: string,
    private readonly ephemeral?: EphemeralAudience,
  ) {}

  /** True when progress is told as ephemeral notes in the user's room (the end included). */
  public get isEphemeral(): boolean {
    return this.ephemeral !== undefined;
  }

  /** The message's id, to find it again from another process. */
  public get id(): string {
    return this.messageId;
  }

  public static async start(chat: Chat, room: IRoom, text: string): Promise<ProgressMessage> {
    const progress = new ProgressMessage(chat, await chat.post(room, text));
    progress.lastEdit = Date.now();
    progress.lastText = text;
    return progress;
  }

  /** Progress told to `user` in `room` as ephemeral notes; its id names no message (an edit of it finds none). */
  public static async told(chat: Chat, user: IUser, room: IRoom, text: string): Promise<ProgressMessage> {
    const id = `ephemeral-${Buffer.from(randomBytes(9)).toString('hex')}`;
    const progress = new ProgressMessage(chat, id, { user, room });
    await progress.show(text);
    return progress;
  }

  /** Shows a new percentage within a stage; skipped when the last edit was under a second ago. */
  public async update(text: string): Promise<void> {
    if (this.ephemeral || text === this.lastText || Date.now() - this.lastEdit < MIN_EDIT_INTERVAL_MS) {
      return;
    }
    await this.show(text);
  }

  /**
   * Shows that the job entered a new stage, always: a user (or a test) waiting for "uploading" must not be left
   * reading "reading the file…" because the stage began within a second of the last edit.
   */
  public async stage(text: string): Promise<void> {
    if (text !== this.lastText) {
      await this.show(text);
    }
  }

  /** The final word (result or error), always shown. */
  public async finish(text: string): Promise<void> {
    await this.show(text);
  }

  private async show(text: string): Promise<void> {
    this.lastEdit = Date.now();
    this.lastText = text;
    if (this.ephemeral) {
      await this.chat.tell(this.ephemeral.user, this.ephemeral.room, text);
    } else {
      await this.chat.edit(this.messageId, text);
    }
  }
}

/** "Uploading 42%" style percentages that never claim 100 before the end. */
export function percent(done: number, total: number): number {
  return total <= 0 ? 0 : Math.min(99, Math.floor((done / total) * 100));
}
