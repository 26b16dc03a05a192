import type { Accessors } from '../edge/Accessors';
import { ArchiveMode, SettingId } from '../settings/settings';
import { RoomArchives, type RoomArchiveRecord } from './roomArchive';

/** The workspace's archive mode as the admin set it (off when unset or unknown). */
export async function archiveMode(accessors: Pick<Accessors, 'read'>): Promise<ArchiveMode> {
  const value: unknown = await accessors.read.getEnvironmentReader().getSettings().getValueById(SettingId.ArchiveMode);
  return Object.values(ArchiveMode).includes(value as ArchiveMode) ? (value as ArchiveMode) : ArchiveMode.Off;
}

/** Whether a room archives its uploads, and with which sealed password, as the mode says. */
export interface RoomArchiving {
  readonly archives: boolean;
  /** The room's own password, or in "every room" mode the workspace default; none: archiving cannot happen. */
  readonly record?: RoomArchiveRecord;
}

/**
 * A room archives when it opted in (its own password), or in "every room" mode; there a room without its own
 * password uses the workspace default an admin set with `/ipfs archive default`.
 */
export async function roomArchiving(
  accessors: Pick<Accessors, 'read' | 'persistence'>,
  roomId: string,
  mode?: ArchiveMode,
): Promise<RoomArchiving> {
  const current = mode ?? (await archiveMode(accessors));
  if (current === ArchiveMode.Off) return { archives: false };
  const rooms = new RoomArchives(accessors.persistence, accessors.read.getPersistenceReader());
  const own = await rooms.ownOf(roomId);
  if (own) return { archives: true, record: own };
  if (current !== ArchiveMode.Every) return { archives: false };
  return { archives: true, record: await rooms.workspaceDefault() };
}
