import type { WorkspaceHost } from '../../dev/host';
import {
  compose,
  type ArchiveEntry,
  type AttemptRecord,
  type EntryRecord,
  type LinkRecord,
} from '../../src/archive/entries';

/**
 * The archive entries as the app composes them (src/archive/entries.ts), from a dump of the workspace's persistence:
 * the hook's entry, IPostMessageSent's link and each process's attempt are separate records.
 */
export function archiveEntries(host: WorkspaceHost): ArchiveEntry[] {
  const data = host.persistenceDump().map((record) => record.data as Record<string, unknown>);
  const records = data.filter((d) => typeof d.entryId === 'string') as unknown as EntryRecord[];
  const links = data.filter((d) => typeof d.linkOf === 'string') as unknown as LinkRecord[];
  const attempts = data.filter((d) => typeof d.attemptOf === 'string') as unknown as AttemptRecord[];
  return records.map((record) =>
    compose(
      record,
      links.find((link) => link.linkOf === record.entryId),
      attempts.filter((attempt) => attempt.attemptOf === record.entryId),
    ),
  );
}
