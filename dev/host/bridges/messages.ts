/* eslint-disable @typescript-eslint/require-await -- in-memory implementations of the engine's async interfaces */
import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { MessageBridge } from '@rocket.chat/apps-engine/server/bridges/MessageBridge';
import type { ITypingDescriptor } from '@rocket.chat/apps-engine/server/bridges/MessageBridge';
import type { Workspace } from '../workspace';
import { newId, strip } from '../workspace';
import { base } from './loud';
import { assertCanSend } from './messageRules';

/**
 * Messages the app sends, edits or shows to one user only (ephemeral, via `notifyUser`). Sending goes through
 * Rocket.Chat's message rules (messageRules.ts); an edit needs an editor, as apps/meteor/app/apps/server/bridges/
 * messages.ts demands, and runs updateMessage, which checks nothing else.
 */
export class HostMessageBridge extends base(MessageBridge) {
  readonly typingEvents: ITypingDescriptor[] = [];
  constructor(private readonly ws: Workspace) {
    super();
  }
  protected async create(message: IMessage, appId: string): Promise<string> {
    if (!message.room?.id || !this.ws.rooms.has(message.room.id))
      throw new Error('Invalid room provided on the message.');
    // Rocket.Chat's converter leaves `u` unset without a sender; its sendMessage then fails. The app's bot is the
    // usual sender: fall back to it so a missing setSender() shows as the bot, not as a crash.
    const senderId = message.sender?.id ?? [...this.ws.users.values()].find((u) => u.appId === appId)?.id;
    if (!senderId) throw new Error('host: message without sender');
    assertCanSend(this.ws, { roomId: message.room.id, senderId, text: message.text ?? '', threadId: message.threadId });
    const at = this.ws.now();
    return this.ws.addMessage(
      strip({
        id: message.id ?? newId(),
        roomId: message.room.id,
        senderId,
        text: message.text ?? '',
        createdAt: message.createdAt ? new Date(message.createdAt) : at,
        updatedAt: at,
        threadId: message.threadId,
        attachments: message.attachments,
        blocks: message.blocks,
        customFields: message.customFields,
        alias: message.alias,
        avatarUrl: message.avatarUrl,
        emoji: message.emoji,
        groupable: message.groupable,
        parseUrls: message.parseUrls,
        file: message.file,
        files: message.files,
      }),
    ).id;
  }
  protected async update(message: IMessage): Promise<void> {
    const stored = this.ws.messages.find((m) => m.id === message.id);
    if (this.ws.rules.messageRules && !message.editor) {
      throw new Error('Invalid editor assigned to the message for the update.');
    }
    if (!stored) throw new Error(`host: no message ${String(message.id)} to update`);
    const at = this.ws.now();
    Object.assign(
      stored,
      strip({
        text: message.text,
        attachments: message.attachments,
        blocks: message.blocks,
        customFields: message.customFields,
        alias: message.alias,
        emoji: message.emoji,
      }),
      { updatedAt: at, editedAt: at, editorId: message.editor?.id ?? stored.senderId },
    );
    this.ws.changed();
  }
  protected async getById(messageId: string): Promise<IMessage> {
    const stored = this.ws.messages.find((m) => m.id === messageId);
    return (stored && this.ws.toAppMessage(stored)) as IMessage;
  }
  protected async delete(message: IMessage): Promise<void> {
    const i = this.ws.messages.findIndex((m) => m.id === message.id);
    if (i >= 0) this.ws.messages.splice(i, 1);
    this.ws.changed();
  }
  protected async notifyUser(user: IUser, message: IMessage): Promise<void> {
    this.ws.screen(user.id).ephemeral.push({ ...message, createdAt: message.createdAt ?? this.ws.now() });
    this.ws.changed();
  }
  protected async notifyRoom(room: IRoom, message: IMessage): Promise<void> {
    for (const id of this.ws.rooms.get(room.id)?.userIds ?? []) await this.notifyUser({ id } as IUser, message);
  }
  protected async typing(options: ITypingDescriptor): Promise<void> {
    this.typingEvents.push(options);
  }
}
