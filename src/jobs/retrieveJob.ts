import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { Chat } from '../chat/Chat';
import { percent, ProgressMessage } from '../chat/ProgressMessage';
import { describeError, sentenceText } from '../ui/describeError';
import { InFlightJobs, JobKind } from './inFlight';
import { downloadAndDecrypt } from './transfer';
import { HEADER_PROBE_BYTES, parseHeader, unlockWithFileKey, type UnlockedObject } from '../crypto';
import type { Accessors } from '../edge/Accessors';
import type { Translate } from '../i18n/translate';
import { KuboRpcClient } from '../ipfs/KuboRpcClient';
import { planDelivery } from '../policy/deliveryPlan';
import { readWorkspacePolicy } from '../policy/workspacePolicy';
import type { AppConfig } from '../settings/config';
import { DeliveryTarget } from '../settings/settings';
import { formatBytes, markdownLiteral } from '../ui/format';
import { offerPage } from '../page/offer';

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
 * Checks the workspace's rules for both delivery targets first (nothing is downloaded when neither can take the
 * file), then downloads the object block by block (each checked against the DAG), decrypts it as it comes and
 * delivers the original file, showing the progress in one message edited in place.
 * @throws DeliveryBlockedError before any download when the workspace refuses both targets.
 */
export async function runRetrieveJob(accessors: Accessors, job: RetrieveJob): Promise<void> {
  const { read, modify, http } = accessors;
  const { user, room, cid, unlocked, config, t } = job;
  const { name, size } = unlocked.metadata;
  const facts = { name: markdownLiteral(name), size: formatBytes(size) };
  const policy = await readWorkspacePolicy(read);
  const plan = await planDelivery(read, policy, config.delivery, user, room, unlocked.metadata);
  const chat = new Chat(read, modify, policy.maxMessageLength);
  if (plan.fallbackBecause) {
    const because = sentenceText(t, plan.fallbackBecause);
    await chat.tell(
      user,
      room,
      t(plan.target === DeliveryTarget.Room ? 'get_delivery_fallback_room' : 'get_delivery_fallback_dm', {
        ...facts,
        because,
      }),
    );
  }
  await chat.tell(user, room, t('get_progress_downloading', facts));
  const dm = plan.progressInDm ? await chat.directRoomWith(user) : undefined;
  const firstText = t('progress_get_downloading', { ...facts, percent: 0 });
  const progress = dm
    ? await ProgressMessage.start(chat, dm, firstText)
    : await ProgressMessage.told(chat, user, room, firstText);
  const inFlight = new InFlightJobs(accessors.persistence, read.getPersistenceReader());
  try {
    await inFlight.track(progress, user.id, JobKind.Retrieve, async () => {
      const plaintext = await downloadAndDecrypt(new KuboRpcClient(http, config.provider), cid, unlocked, (done) =>
        progress.update(t('progress_get_downloading', { ...facts, percent: percent(done, 1) })),
      );
      await progress.stage(t('progress_get_delivering', facts));
      // a DM target implies progressInDm: both need the bot to post there
      const target = plan.target === DeliveryTarget.Room || !dm ? room : dm;
      await chat.deliverFile(target, name, plaintext);
      const where = plan.target === DeliveryTarget.Room ? t('get_delivered_here') : t('get_delivered_dm');
      const done = t('get_done', { ...facts, where });
      await progress.finish(done);
      if (!progress.isEphemeral) {
        await chat.tell(user, room, done);
      }
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
    // more than chat delivery takes: the browser page opens it instead
    const max = formatBytes(job.config.maxFileBytes);
    await offerPage(accessors, job.user, job.room, job.cid, job.t, 'too_big', { max });
    return;
  }
  await runRetrieveJob(accessors, { ...job, unlocked });
}
