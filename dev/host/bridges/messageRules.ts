import type { Workspace } from '../workspace';
import { hasPermission, meteorError, policyOf } from '../rules';

/** What the rules need to know about a message being sent. */
export interface OutgoingMessage {
  roomId: string;
  senderId: string;
  text: string;
  threadId?: string;
  /** Rocket.Chat's message type; an end-to-end encrypted message is `e2e`. */
  t?: string;
}

/**
 * The checks Rocket.Chat runs on every message an app sends (the message bridge's `create` and the file message
 * of `uploadBuffer` both go through executeSendMessage, apps/meteor/app/lib/server/methods/sendMessage.ts, and
 * canSendMessageAsync, apps/meteor/app/authorization/server/functions/canSendMessage.ts), in their order:
 * threads enabled, Message_MaxAllowedSize, read-only room, muted sender, plaintext into an E2E room.
 * The app user skips the room-access check there (`type === 'app'`), so the host does not check membership.
 * @throws Error with the message Rocket.Chat's error carries (what the app sees)
 */
export function assertCanSend(ws: Workspace, m: OutgoingMessage): void {
  if (!ws.rules.messageRules) return;
  const setting = (id: string) => ws.serverSettings.get(id);
  if (m.threadId && !setting('Threads_enabled')) throw meteorError('error-not-allowed', 'not-allowed');
  if (m.text && m.text.length > Number(setting('Message_MaxAllowedSize') ?? 0)) {
    throw meteorError('error-message-size-exceeded', 'Message size exceeds Message_MaxAllowedSize');
  }
  const room = ws.rooms.get(m.roomId);
  if (!room) throw new Error('error-invalid-room');
  const sender = ws.users.get(m.senderId);
  const policy = policyOf(room);
  const username = sender?.username;
  if (policy.readOnly && !hasPermission(ws.permissions, sender, 'post-readonly', room)) {
    if (username && !(policy.unmuted ?? []).includes(username)) {
      throw new Error("You can't send messages because the room is readonly.");
    }
  }
  if (username && (policy.muted ?? []).includes(username)) throw new Error('You_have_been_muted');
  if (policy.encrypted && setting('E2E_Enable') && !setting('E2E_Allow_Unencrypted_Messages') && m.t !== 'e2e') {
    throw meteorError('error-not-allowed', 'Not allowed to send un-encrypted messages in an encrypted room');
  }
}
