import type { Invocation, Subcommand } from '../commands/invocation';
import { withTrigger } from '../commands/invocation';
import { ArchiveMode, SettingId } from '../settings/settings';
import { formatBytes, markdownLiteral } from '../ui/format';
import { archiveUsage, assertRoomModerator, assertWorkspaceAdmin, openArchiveForm } from './archiveForm';
import { ArchiveEntries, EntryStatus } from './entries';
import { roomArchiving } from './mode';
import { isCutOff } from './recovery';
import { RoomArchives } from './roomArchive';

/** How many failed uploads the status names, newest first. */
const FAILURES_SHOWN = 5;

async function modeOf(invocation: Invocation): Promise<ArchiveMode> {
  const value: unknown = await invocation.accessors.read
    .getEnvironmentReader()
    .getSettings()
    .getValueById(SettingId.ArchiveMode);
  return Object.values(ArchiveMode).includes(value as ArchiveMode) ? (value as ArchiveMode) : ArchiveMode.Off;
}

const on: Subcommand = async (invocation) => {
  const { accessors, user, room, t, chat } = invocation;
  if ((await modeOf(invocation)) === ArchiveMode.Off) {
    await chat.tell(user, room, t('archive_disabled_by_admin'));
    return;
  }
  await assertRoomModerator(accessors.read, user, room);
  await withTrigger(invocation, (triggerId) => openArchiveForm(invocation, { triggerId }));
};

const off: Subcommand = async (invocation) => {
  const { accessors, user, room, t, chat } = invocation;
  await assertRoomModerator(accessors.read, user, room);
  if ((await modeOf(invocation)) === ArchiveMode.Every) {
    await chat.tell(user, room, t('archive_off_refused_every_room'));
    return;
  }
  await new RoomArchives(accessors.persistence, accessors.read.getPersistenceReader()).disable(room.id);
  await chat.tell(user, room, t('archive_off_done'));
};

/** `/ipfs archive status`: on or off, and counts (archived, pending, not archived) with the reasons. */
const status: Subcommand = async (invocation) => {
  const { accessors, user, room, t, chat } = invocation;
  const { persistence, read } = accessors;
  const mode = await modeOf(invocation);
  const archiving = await roomArchiving(accessors, room.id, mode);
  const entries = await new ArchiveEntries(persistence, read.getPersistenceReader()).ofRoom(room.id);
  const now = Date.now();
  const count = (status: EntryStatus) => entries.filter((e) => e.status === status && !isCutOff(e, now)).length;
  const failed = entries.filter(
    (e) => e.status === EntryStatus.Failed || e.status === EntryStatus.Skipped || isCutOff(e, now),
  );
  const waiting = entries.filter((e) => e.status === EntryStatus.Pending && e.waiting).length;
  const state =
    mode === ArchiveMode.Off
      ? 'archive_state_admin_off'
      : !archiving.archives
        ? 'archive_state_off'
        : !archiving.record
          ? 'archive_state_no_password'
          : archiving.record.workspaceDefault
            ? 'archive_state_default'
            : 'archive_state_on';
  const lines = [
    t(state),
    t('archive_counts', {
      archived: count(EntryStatus.Archived),
      pending: count(EntryStatus.Pending),
      failed: failed.length,
    }),
    ...(waiting > 0 ? [t('archive_waiting_line', { count: waiting })] : []),
    ...failed
      .slice(-FAILURES_SHOWN)
      .reverse()
      .map((e) =>
        t('archive_failed_line', {
          name: markdownLiteral(e.name),
          size: formatBytes(e.size),
          reason: t(isCutOff(e, now) ? 'archive_reason_interrupted' : (e.reason ?? 'archive_reason_unexpected')),
        }),
      ),
  ];
  await chat.tell(user, room, lines.join('\n'));
};

/** `/ipfs archive default`: a workspace admin sets the password of rooms without their own ("every room" mode). */
const workspaceDefault: Subcommand = async (invocation) => {
  await assertWorkspaceAdmin(invocation.accessors.read, invocation.user);
  await withTrigger(invocation, (triggerId) => openArchiveForm(invocation, { triggerId }, true));
};

const ACTIONS: Record<string, Subcommand> = { on, off, status, default: workspaceDefault };

/** `/ipfs archive on|off|status`. */
export const archive: Subcommand = async (invocation) => {
  const action = ACTIONS[(invocation.args[0] ?? '').toLowerCase()];
  if (!action) {
    await invocation.chat.tell(invocation.user, invocation.room, archiveUsage(invocation.t));
    return;
  }
  await action(invocation);
};

/** Lines for `/ipfs list`: the room's archived files, when the room archives. */
export async function roomArchiveLines(invocation: Invocation): Promise<string[]> {
  const { accessors, room, t } = invocation;
  const entries = await new ArchiveEntries(accessors.persistence, accessors.read.getPersistenceReader()).ofRoom(
    room.id,
  );
  const archived = entries.filter((e) => e.status === EntryStatus.Archived && e.cid);
  if (archived.length === 0) return [];
  return [
    t('archive_list_title', { count: archived.length }),
    ...archived.map((e) =>
      t('archive_list_line', { name: markdownLiteral(e.name), size: formatBytes(e.size), cid: e.cid ?? '' }),
    ),
  ];
}
