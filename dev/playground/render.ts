import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import { RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import type { StoredMessage, Workspace } from '../host/workspace';
import { formatBytes } from '../../src/ui/format';

/** Human sizes: the app's own formatting, so the playground shows what chat shows. */
export const formatSize = formatBytes;

/** `#general`, or `@bot↔alice` for a direct room. */
export function roomLabel(room: IRoom | undefined): string {
  if (!room) return '?';
  if (room.type === RoomType.DIRECT_MESSAGE) return `@${(room.usernames ?? []).join('↔')}`;
  return `#${room.displayName ?? room.slugifiedName}`;
}

/** Multi-line text indented under its first line. */
function indent(text: string, pad: string): string {
  return text.replace(/\n/g, `\n${pad}`);
}

/** One message as a line or a few: `‹id› 12:34:56 sender: text 📎 file (size) ↳ thread ‹root›`. */
export function formatMessage(ws: Workspace, m: StoredMessage, opts: { withRoom?: boolean } = {}): string {
  const sender = ws.users.get(m.senderId)?.username ?? m.senderId;
  const time = m.createdAt.toISOString().slice(11, 19);
  const where = opts.withRoom ? `${roomLabel(ws.rooms.get(m.roomId))} ` : '';
  const files = (m.files ?? (m.file ? [m.file] : [])).map((f) => `📎 ${f.name} (${formatSize(f.size ?? 0)})`);
  const replies = ws.messages.filter((r) => r.threadId === m.id).length;
  const parts = [
    m.text && indent(m.text, '      '),
    ...files,
    m.threadId && `↳ in thread ‹${m.threadId}›`,
    replies > 0 && `🧵 ${replies} ${replies === 1 ? 'reply' : 'replies'}`,
  ].filter(Boolean);
  return `${where}‹${m.id}› ${time} ${sender}: ${parts.join('  ')}`;
}

/** A room's messages, thread replies listed under their root. */
export function formatRoom(ws: Workspace, roomId: string): string[] {
  const all = ws.messages.filter((m) => m.roomId === roomId);
  if (all.length === 0) return ['(no messages)'];
  const lines: string[] = [];
  for (const m of all.filter((x) => !x.threadId || !all.some((r) => r.id === x.threadId))) {
    lines.push(formatMessage(ws, m));
    for (const r of all.filter((x) => x.threadId === m.id)) lines.push(`    ${formatMessage(ws, r)}`);
  }
  return lines;
}
