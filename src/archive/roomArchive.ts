/**
 * Which rooms archive their uploads, and the archive password of each, sealed like users' private keys: with
 * `secretbox` under a key derived from the workspace secret AND the room id (HKDF), so a record copied onto
 * another room does not open. docs/SECURITY.md says who can therefore open archived files.
 */
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { RocketChatAssociationModel, RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';
import nacl from 'tweetnacl';
import { randomBytes } from '../crypto/random';
import { putOne, removeEveryMatch } from '../engine/persistence';
import { fromBase64, toBase64 } from '../keys/encoding';
import { KeyUnwrapError } from '../keys/errors';
import { loadWorkspaceSecret } from '../keys/workspaceSecret';

/** HKDF `info` prefix of the key that seals a room's archive password (the room id follows after a zero byte). */
export const ARCHIVE_PASSWORD_LABEL = 'rc-ipfs-storage v1 archive-password';

/** A room's archiving as persisted: who turned it on, and the sealed password (no plaintext anywhere). */
export interface RoomArchiveRecord {
  readonly roomId: string;
  readonly enabledBy: string;
  readonly enabledAt: number;
  /** `secretbox(UTF-8 password, nonce, HKDF(workspaceSecret, label ‖ 0x00 ‖ roomId))`, base64. */
  readonly sealedPassword: string;
  readonly nonce: string;
}

const KIND = new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, 'ipfs-room-archive');

function associations(roomId: string): RocketChatAssociationRecord[] {
  return [KIND, new RocketChatAssociationRecord(RocketChatAssociationModel.ROOM, roomId)];
}

function sealKey(secret: Uint8Array, roomId: string): Uint8Array {
  const label = new TextEncoder().encode(ARCHIVE_PASSWORD_LABEL);
  const id = new TextEncoder().encode(roomId);
  const info = new Uint8Array(label.length + 1 + id.length);
  info.set(label);
  info.set(id, label.length + 1);
  return hkdf(sha256, secret, new Uint8Array(0), info, 32);
}

/** The rooms that archive, one record each. */
export class RoomArchives {
  constructor(
    private readonly persistence: IPersistence,
    private readonly reader: IPersistenceRead,
  ) {}

  /** The room's archiving, if it is on. */
  async of(roomId: string): Promise<RoomArchiveRecord | undefined> {
    const [record] = (await this.reader.readByAssociations(associations(roomId))) as RoomArchiveRecord[];
    return record;
  }

  /** Turns archiving on (or changes its password), sealing the password. */
  async enable(roomId: string, userId: string, password: string): Promise<void> {
    const secret = await loadWorkspaceSecret(this.persistence, this.reader);
    const nonce = randomBytes(nacl.secretbox.nonceLength);
    const key = sealKey(secret, roomId);
    const sealed = nacl.secretbox(new TextEncoder().encode(password.normalize('NFC')), nonce, key);
    secret.fill(0);
    key.fill(0);
    const record: RoomArchiveRecord = {
      roomId,
      enabledBy: userId,
      enabledAt: Date.now(),
      sealedPassword: toBase64(sealed),
      nonce: toBase64(nonce),
    };
    await putOne(this.persistence, this.reader, associations(roomId), record);
  }

  /** Turns archiving off: the sealed password is forgotten (objects already archived stay on IPFS). */
  async disable(roomId: string): Promise<void> {
    await removeEveryMatch(this.persistence, this.reader, associations(roomId));
  }

  /**
   * The room's archive password, opened for one job; never logged or stored elsewhere.
   * @throws KeyUnwrapError when the record does not open (another workspace secret, or another room's record)
   */
  async passwordOf(record: RoomArchiveRecord): Promise<string> {
    const secret = await loadWorkspaceSecret(this.persistence, this.reader);
    const key = sealKey(secret, record.roomId);
    const nonce = fromBase64(record.nonce, nacl.secretbox.nonceLength);
    const sealed = fromBase64(record.sealedPassword);
    const opened = nonce && sealed ? nacl.secretbox.open(sealed, nonce, key) : null;
    secret.fill(0);
    key.fill(0);
    if (!opened) throw new KeyUnwrapError();
    return new TextDecoder().decode(opened);
  }
}
