/**
 * The workspace secret: 32 random bytes the app creates once (at install) and keeps in its persistence. Every
 * user's private key is stored wrapped under a key derived from it. It is never logged, shown or sent anywhere;
 * docs/SECURITY.md says what it protects and what it does not.
 */
import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { RocketChatAssociationModel, RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';
import { randomBytes } from '../crypto/random';
import { fromBase64, toBase64 } from './encoding';

/** Length of the workspace secret in bytes. */
export const WORKSPACE_SECRET_BYTES = 32;

/** How the secret is stored (one record). */
interface WorkspaceSecretRecord {
  secret: string;
  createdAt: number;
}

const ASSOCIATIONS = [new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, 'ipfs-workspace-secret')];

/**
 * Makes sure the workspace secret exists; called from the app's `onInstall` so that later requests never race
 * to create it.
 *
 * @throws {Error} if persistence fails or holds a malformed secret record
 */
export async function ensureWorkspaceSecret(persistence: IPersistence, reader: IPersistenceRead): Promise<void> {
  await loadWorkspaceSecret(persistence, reader);
}

/**
 * Returns the workspace secret, creating it when it is missing. Persistence offers no compare-and-set, so a
 * creator writes (upsert on the fixed association) and then re-reads and uses whatever is stored: callers that
 * race end up with the same secret (if a store ever holds two records, all callers pick the same one).
 *
 * @returns the 32-byte secret (a fresh copy; the caller may wipe it)
 * @throws {Error} if persistence fails, holds a malformed secret record (never silently replaced: every user
 *   key depends on it), or the secret cannot be read back after writing it
 */
export async function loadWorkspaceSecret(persistence: IPersistence, reader: IPersistenceRead): Promise<Uint8Array> {
  const stored = await readSecret(reader);
  if (stored) return stored;
  const record: WorkspaceSecretRecord = {
    secret: toBase64(randomBytes(WORKSPACE_SECRET_BYTES)),
    createdAt: Date.now(),
  };
  await persistence.updateByAssociations(ASSOCIATIONS, record, true);
  const after = await readSecret(reader);
  if (!after) throw new Error('the workspace secret could not be read back after storing it');
  return after;
}

/** The stored secret, or undefined when there is none. */
async function readSecret(reader: IPersistenceRead): Promise<Uint8Array | undefined> {
  const records = (await reader.readByAssociations(ASSOCIATIONS)) as Partial<WorkspaceSecretRecord>[];
  if (records.length === 0) return undefined;
  // Deterministic choice, should a racing upsert ever have left two records.
  const chosen = records.map((r) => r.secret).sort()[0];
  const secret = fromBase64(chosen, WORKSPACE_SECRET_BYTES);
  if (!secret) throw new Error('the stored workspace secret is malformed');
  return secret;
}
