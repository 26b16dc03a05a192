import type { IModify, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import { RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { UserFacingError } from '../errors';
import { bytesForEngine } from '../engine/bytesForEngine';
import { fitMessage } from '../policy/rules';

export class AppUserMissingError extends UserFacingError {
  constructor() {
    super('error_app_user_missing', "the app's bot user could not be read");
  }
}

/** What the app says in chat: private notes to one user, room messages, and delivered files. */
export class Chat {
  constructor(
    private readonly read: IRead,
    private readonly modify: IModify,
    /** The workspace's Message_MaxAllowedSize: the server refuses a longer message from the bot. */
    private readonly maxMessageLength = Infinity,
  ) {}

  /** An ephemeral message only `user` sees, shown in `room`. */
  public async tell(user: IUser, room: IRoom, text: string): Promise<void> {
    const message = this.modify.getNotifier().getMessageBuilder().setRoom(room).setText(text).getMessage();
    await this.modify.getNotifier().notifyUser(user, message);
  }

  /** A message from the app's bot user in `room`, in the thread `threadId` when given. */
  public async post(room: IRoom, text: string, threadId?: string): Promise<string> {
    const builder = this.modify
      .getCreator()
      .startMessage()
      .setRoom(room)
      .setText(fitMessage(text, this.maxMessageLength));
    const appUser = await this.read.getUserReader().getAppUser();
    if (appUser) {
      builder.setSender(appUser);
    }
    if (threadId) {
      builder.setThreadId(threadId);
    }
    return this.modify.getCreator().finish(builder);
  }

  /** Replaces the text of a message the app's bot user posted (progress shown in place). */
  public async edit(messageId: string, text: string): Promise<void> {
    const appUser = await this.read.getUserReader().getAppUser();
    if (!appUser) {
      throw new AppUserMissingError();
    }
    const builder = await this.modify.getUpdater().message(messageId, appUser);
    builder.setEditor(appUser).setText(fitMessage(text, this.maxMessageLength));
    await this.modify.getUpdater().finish(builder);
  }

  /** The direct message room between the app's bot user and `user`, created when it does not exist yet. */
  public async directRoomWith(user: IUser): Promise<IRoom> {
    const appUser = await this.read.getUserReader().getAppUser();
    if (!appUser) {
      throw new AppUserMissingError();
    }
    const usernames = [appUser.username, user.username];
    const existing = await this.read.getRoomReader().getDirectByUsernames(usernames);
    if (existing) {
      return existing;
    }
    const builder = this.modify
      .getCreator()
      .startRoom()
      .setType(RoomType.DIRECT_MESSAGE)
      .setCreator(appUser)
      .setMembersToBeAddedByUsernames(usernames);
    const roomId = await this.modify.getCreator().finish(builder);
    const room = await this.read.getRoomReader().getById(roomId);
    if (!room) {
      throw new AppUserMissingError();
    }
    return room;
  }

  /** Posts `bytes` as a file in `room`, sent by the app's bot user. */
  public async deliverFile(room: IRoom, fileName: string, bytes: Uint8Array): Promise<void> {
    const buffer = bytesForEngine(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    await this.modify.getCreator().getUploadCreator().uploadBuffer(buffer, { filename: fileName, room });
  }
}
