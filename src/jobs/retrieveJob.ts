import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { Chat } from '../chat/Chat';
import { percent, ProgressMessage } from '../chat/ProgressMessage';
import { describeError } from '../handlers/describeError';
import { InFlightJobs, JobKind } from './inFlight';
import { downloadAndDecrypt } from './transfer';
import { HEADER_PROBE_BYTES, parseHeader, unlockWithFileKey, type UnlockedObject } from '../crypto';
import { FileTooLargeError } from './storeJob';
import type { Accessors } from '../handlers/Accessors';
import type { Translate } from '../i18n/translate';
import { KuboRpcClient } from '../ipfs/KuboRpcClient';
import type { AppConfig } from '../settings/config';
import { DeliveryTarget } from '../settings/settings';
import { formatBytes, markdownLiteral } from '../ui/format';

/** One retrieval whose password was already checked; the unlocked key lives only here. */
export interface RetrieveJob {
  readonly user: IUser;
  readonly room: IRoom;
  readonly cid: string;
  readonly unlocked: UnlockedObject;
  readonly config: AppConfig;
  readonly t: Translate;
}

/**
 * Downloads the object block by block (each checked against the DAG), decrypts it as it comes and delivers
 * the original file, showing the progress in one message edited in place.
 */
export async function runRetrieveJob(accessors: Accessors, job: RetrieveJob): Promise<void> {
  const { read, modify, http } = accessors;
  const { user, room, cid, unlocked, config, t } = job;
  const { name, size } = unlocked.metadata;
  const facts = { name: markdownLiteral(name), size: formatBytes(size) };
  const chat = new Chat(read, modify);
  await chat.tell(user, room, t('get_progress_downloading', facts));
  const dm = await chat.directRoomWith(user);
  const progress = await ProgressMessage.start(chat, dm, t('progress_get_downloading', { ...facts, percent: 0 }));
  const inFlight = new InFlightJobs(accessors.persistence, read.getPersistenceReader());
  try {
    await inFlight.track(progress, user.id, JobKind.Retrieve, async () => {
      const plaintext = await downloadAndDecrypt(new KuboRpcClient(http, config.provider), cid, unlocked, (done) =>
        progress.update(t('progress_get_downloading', { ...facts, percent: percent(done, 1) })),
      );
      await progress.stage(t('progress_get_delivering', facts));
      const target = config.delivery === DeliveryTarget.Room ? room : dm;
      await chat.deliverFile(target, name, plaintext);
      const where = config.delivery === DeliveryTarget.Room ? t('get_delivered_here') : t('get_delivered_dm');
      const done = t('get_done', { ...facts, where });
      await progress.finish(done);
      await chat.tell(user, room, done);
    });
  } catch (error) {
    await progress.finish(t('get_failed', { name: facts.name, reason: describeError(t, error) }));
    throw error;
  }
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
