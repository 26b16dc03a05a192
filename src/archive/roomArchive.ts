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
/** HKDF `info` of the key that seals the workspace's default archive password (no room id: it has none). */
export const DEFAULT_ARCHIVE_PASSWORD_LABEL = 'rc-ipfs-storage v1 archive-default-password';

/**
 * A room's archiving as persisted: who turned it on, and the sealed password (no plaintext anywhere). The workspace
 * default (`/ipfs archive default`, for rooms without their own in "every room" mode) has the same shape, with an
 * empty `roomId` and `workspaceDefault` set.
 */
export interface RoomArchiveRecord {
  readonly roomId: string;
  readonly workspaceDefault?: boolean;
  readonly enabledBy: string;
  readonly enabledAt: number;
  /** `secretbox(UTF-8 password, nonce, HKDF(workspaceSecret, label ‖ 0x00 ‖ roomId))`, base64. */
  readonly sealedPassword: string;
  readonly nonce: string;
}

const KIND = new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, 'ipfs-room-archive');

const DEFAULT_KIND = new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, 'ipfs-archive-default');

/**
 * Passwords replaced by a newer one, kept so that members still open what the old one sealed (objects name the
 * record that sealed them by its nonce). A room's go when it stops archiving; the default's stay.
 */
const RETIRED_KIND = new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, 'ipfs-room-archive-retired');
const RETIRED_DEFAULT_KIND = new RocketChatAssociationRecord(
  RocketChatAssociationModel.MISC,
  'ipfs-archive-default-retired',
);

function retiredAssociations(record: RoomArchiveRecord): RocketChatAssociationRecord[] {
  const unique = new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, `retired:${record.nonce}`);
  return record.workspaceDefault
    ? [RETIRED_DEFAULT_KIND, unique]
    : [RETIRED_KIND, new RocketChatAssociationRecord(RocketChatAssociationModel.ROOM, record.roomId), unique];
}

function associations(roomId: string): RocketChatAssociationRecord[] {
  return [KIND, new RocketChatAssociationRecord(RocketChatAssociationModel.ROOM, roomId)];
}

/** A room's key binds the room id; the default's has its own label, so neither record opens as the other. */
function sealKey(secret: Uint8Array, record: Pick<RoomArchiveRecord, 'roomId' | 'workspaceDefault'>): Uint8Array {
  if (record.workspaceDefault) {
    return hkdf(sha256, secret, new Uint8Array(0), new TextEncoder().encode(DEFAULT_ARCHIVE_PASSWORD_LABEL), 32);
  }
  const label = new TextEncoder().encode(ARCHIVE_PASSWORD_LABEL);
  const id = new TextEncoder().encode(record.roomId);
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

  /**
   * The password record that opens the room's archive: the room's own, else the workspace default if an admin set
   * one. Whether a room archives at all also depends on the mode: see {@link RoomArchives.ownOf}.
   */
  async of(roomId: string): Promise<RoomArchiveRecord | undefined> {
    return (await this.ownOf(roomId)) ?? (await this.workspaceDefault());
  }

  /** The room's own archiving (`/ipfs archive on`), if it is on. */
  async ownOf(roomId: string): Promise<RoomArchiveRecord | undefined> {
    const [record] = (await this.reader.readByAssociations(associations(roomId))) as RoomArchiveRecord[];
    return record;
  }

  /** The workspace's default archive password record, if an admin set one. */
  async workspaceDefault(): Promise<RoomArchiveRecord | undefined> {
    const [record] = (await this.reader.readByAssociation(DEFAULT_KIND)) as RoomArchiveRecord[];
    return record;
  }

  /**
   * The record whose nonce is `sealedWith` (the one that sealed an archived object), among the room's current and
   * retired passwords and the workspace default's; undefined once the room stopped archiving or for another room.
   */
  async sealing(roomId: string, sealedWith: string): Promise<RoomArchiveRecord | undefined> {
    const room = new RocketChatAssociationRecord(RocketChatAssociationModel.ROOM, roomId);
    const [own, retired, byDefault, retiredDefaults] = await Promise.all([
      this.ownOf(roomId),
      this.reader.readByAssociations([RETIRED_KIND, room]) as Promise<RoomArchiveRecord[]>,
      this.workspaceDefault(),
      this.reader.readByAssociation(RETIRED_DEFAULT_KIND) as Promise<RoomArchiveRecord[]>,
    ]);
    const roomRecords = own ? [own, ...retired] : []; // a room that stopped archiving forgot all of its own
    return [...roomRecords, byDefault, ...retiredDefaults].find(
      (record) => record?.nonce === sealedWith && (record.workspaceDefault || record.roomId === roomId),
    );
  }

  /** Turns archiving on (or changes its password, keeping the old one for what it sealed), sealing the password. */
  async enable(roomId: string, userId: string, password: string): Promise<void> {
    const record = await this.sealed({ roomId }, userId, password);
    await this.retire(await this.ownOf(roomId));
    await putOne(this.persistence, this.reader, associations(roomId), record);
  }

  /** Sets (or changes) the workspace's default archive password, sealed like a room's. */
  async setWorkspaceDefault(userId: string, password: string): Promise<void> {
    const record = await this.sealed({ roomId: '', workspaceDefault: true }, userId, password);
    await this.retire(await this.workspaceDefault());
    await putOne(this.persistence, this.reader, [DEFAULT_KIND], record);
  }

  private async retire(previous: RoomArchiveRecord | undefined): Promise<void> {
    if (previous) await putOne(this.persistence, this.reader, retiredAssociations(previous), previous);
  }

  private async sealed(
    scope: Pick<RoomArchiveRecord, 'roomId' | 'workspaceDefault'>,
    userId: string,
    password: string,
  ): Promise<RoomArchiveRecord> {
    const secret = await loadWorkspaceSecret(this.persistence, this.reader);
    const nonce = randomBytes(nacl.secretbox.nonceLength);
    const key = sealKey(secret, scope);
    const sealed = nacl.secretbox(new TextEncoder().encode(password.normalize('NFC')), nonce, key);
    secret.fill(0);
    key.fill(0);
    return {
      ...scope,
      enabledBy: userId,
      enabledAt: Date.now(),
      sealedPassword: toBase64(sealed),
      nonce: toBase64(nonce),
    };
  }

  /** Turns archiving off: the room's sealed passwords, old ones too, are forgotten (its objects stay on IPFS). */
  async disable(roomId: string): Promise<void> {
    await removeEveryMatch(this.persistence, this.reader, associations(roomId));
    const room = new RocketChatAssociationRecord(RocketChatAssociationModel.ROOM, roomId);
    await removeEveryMatch(this.persistence, this.reader, [RETIRED_KIND, room]);
  }

  /**
   * The room's archive password, opened for one job; never logged or stored elsewhere.
   * @throws KeyUnwrapError when the record does not open (another workspace secret, or another room's record)
   */
  async passwordOf(record: RoomArchiveRecord): Promise<string> {
    const secret = await loadWorkspaceSecret(this.persistence, this.reader);
    const key = sealKey(secret, record);
    const nonce = fromBase64(record.nonce, nacl.secretbox.nonceLength);
    const sealed = fromBase64(record.sealedPassword);
    const opened = nonce && sealed ? nacl.secretbox.open(sealed, nonce, key) : null;
    secret.fill(0);
    key.fill(0);
    if (!opened) throw new KeyUnwrapError();
    return new TextDecoder().decode(opened);
  }
}
