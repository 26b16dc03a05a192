import type { IModify } from '@rocket.chat/apps-engine/definition/accessors';
import { cidToBytes, parseCid } from '../ipfs/cid';
import type { KuboRpcClient } from '../ipfs/KuboRpcClient';
import type { DirectoryEntry } from '../storage/DirectoryStorage';
import { GrantKind } from '../storage/GrantStorage';
import type { FileAccess } from './access';
import { cancelExpiries } from './shares';

/** Ends every share of one object and cancels their expiry jobs; the owner's own copy stays. */
export async function endShares(access: FileAccess, modify: IModify, cid: string): Promise<number> {
  let ended = 0;
  for (const grant of await access.grants.ofObject(cid)) {
    if (grant.kind !== GrantKind.Share) {
      continue;
    }
    await cancelExpiries(modify, await access.grants.allOf(grant.cid, grant.recipientId));
    await access.grants.remove(grant.cid, grant.recipientId);
    ended += grant.wrapped ? 1 : 0;
  }
  return ended;
}

/**
 * Unpins versions at the provider and forgets them: directory entries, the owner's key, all shares. The
 * provider goes first, so when it fails nothing is forgotten and the user can try again.
 */
export async function removeVersions(
  access: FileAccess,
  modify: IModify,
  ipfs: KuboRpcClient,
  entries: readonly DirectoryEntry[],
): Promise<void> {
  for (const entry of entries) {
    await ipfs.pinRm(entry.cid);
    await endShares(access, modify, entry.cid);
    await access.grants.removeAll(entry.cid);
    await access.directory.remove(entry);
  }
}

/**
 * Makes a newly stored object its owner's next version of a name: the directory entry and the owner's wrapped
 * file key. The same for files a user stored and files the room archive stored for their uploader.
 */
export async function recordOwnedVersion(
  access: FileAccess,
  entry: DirectoryEntry,
  fileKey: Uint8Array,
): Promise<void> {
  await access.directory.add(entry);
  await access.grants.put({
    cid: entry.cid,
    name: entry.name,
    ownerId: entry.ownerId,
    recipientId: entry.ownerId,
    kind: GrantKind.Owner,
    createdAt: entry.storedAt,
    wrapped: await access.keys.wrapFor(entry.ownerId, fileKey, cidToBytes(parseCid(entry.cid))),
  });
}
