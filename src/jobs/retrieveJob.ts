import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { Chat } from '../chat/Chat';
import { decryptObject, HEADER_PROBE_BYTES, parseHeader, unlockWithFileKey, type UnlockedObject } from '../crypto';
import { FileTooLargeError } from './storeJob';
import type { Accessors } from '../handlers/Accessors';
import type { Translate } from '../i18n/translate';
import { KuboRpcClient } from '../ipfs/KuboRpcClient';
import type { AppConfig } from '../settings/config';
import { DeliveryTarget } from '../settings/settings';
import { formatBytes } from '../ui/format';

/** One retrieval whose password was already checked; the unlocked key lives only here. */
export interface RetrieveJob {
  readonly user: IUser;
  readonly room: IRoom;
  readonly cid: string;
  readonly unlocked: UnlockedObject;
  readonly config: AppConfig;
  readonly t: Translate;
}

/** Downloads the whole object (checked against its CID), decrypts it and delivers the original file. */
export async function runRetrieveJob(accessors: Accessors, job: RetrieveJob): Promise<void> {
  const { read, modify, http } = accessors;
  const { user, room, cid, unlocked, config, t } = job;
  const { name, size } = unlocked.metadata;
  const chat = new Chat(read, modify);

  await chat.tell(user, room, t('get_progress_downloading', { name, size: formatBytes(size) }));
  const object = await new KuboRpcClient(http, config.provider).cat(cid);
  const plaintext = decryptObject(object, unlocked);

  const target = config.delivery === DeliveryTarget.Room ? room : await chat.directRoomWith(user);
  await chat.deliverFile(target, name, plaintext);
  const where = config.delivery === DeliveryTarget.Room ? t('get_delivered_here') : t('get_delivered_dm');
  await chat.tell(user, room, t('get_done', { name, size: formatBytes(plaintext.length), where }));
}

/** A retrieval by someone who holds the file key (owner or recipient of a live share): no password. */
export interface GrantedRetrieveJob {
  readonly user: IUser;
  readonly room: IRoom;
  readonly cid: string;
  readonly fileKey: Uint8Array;
  readonly config: AppConfig;
  readonly t: Translate;
}

/** Opens the object's header with the file key, checks the size limit, then retrieves as with a password. */
export async function runGrantedRetrieveJob(accessors: Accessors, job: GrantedRetrieveJob): Promise<void> {
  const probe = await new KuboRpcClient(accessors.http, job.config.provider).cat(job.cid, {
    offset: 0,
    length: HEADER_PROBE_BYTES,
  });
  const unlocked = unlockWithFileKey(parseHeader(probe), job.fileKey);
  if (unlocked.metadata.size > job.config.maxFileBytes) {
    throw new FileTooLargeError(unlocked.metadata.size, job.config.maxFileBytes);
  }
  await runRetrieveJob(accessors, { ...job, unlocked });
}
