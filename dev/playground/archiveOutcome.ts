import type { WorkspaceHost } from '../host';

/** How an upload's archiving ended, as the app's records say; undefined while it is pending. */
export interface ArchiveOutcome {
  status: 'archived' | 'failed' | 'skipped';
  cid?: string;
  reason?: string;
}

interface Fields {
  entryId?: unknown;
  attemptOf?: unknown;
  name?: unknown;
  status?: unknown;
  state?: unknown;
  cid?: unknown;
  reason?: unknown;
  aliveAt?: unknown;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * The outcome of the upload named `name`, read from the app's storage the way src/archive/entries.ts composes
 * it: the hook's entry record (its `status`) and each process's attempt record (`attemptOf`, `state`, `cid`); an
 * archived attempt wins, else the latest one. Also reads entries that carry the outcome themselves (an entry
 * written over in place), so the demo and the bench do not depend on which of the two layouts the app uses.
 */
export function archiveOutcome(host: WorkspaceHost, name: string): ArchiveOutcome | undefined {
  const records = host.persistenceDump().map((r) => r.data as Fields);
  const entry = records.find((r) => typeof r.entryId === 'string' && r.name === name);
  if (!entry) return undefined;
  const attempts = records
    .filter((r) => r.attemptOf === entry.entryId)
    .sort((a, b) => Number(a.aliveAt ?? 0) - Number(b.aliveAt ?? 0));
  const archived = attempts.find((a) => a.state === 'archived') ?? (entry.status === 'archived' ? entry : undefined);
  if (archived) return { status: 'archived', cid: text(archived.cid) };
  if (entry.status === 'failed' || entry.status === 'skipped')
    return { status: entry.status, reason: text(entry.reason) };
  const last = attempts.at(-1);
  if (last?.state === 'failed') return { status: 'failed', reason: text(last.reason) };
  return undefined;
}
