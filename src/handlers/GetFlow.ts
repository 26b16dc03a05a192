import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import {
  HEADER_PROBE_BYTES,
  INTERACTIVE_KDF_BUDGET,
  parseHeader,
  unlockHeader,
  withinKdfBudget,
  type UnlockedObject,
} from '../crypto';
import { Chat } from '../chat/Chat';
import { translatorForUser } from '../i18n/translate';
import { formatCid, parseCid } from '../ipfs/cid';
import { KuboRpcClient } from '../ipfs/KuboRpcClient';
import { PasswordAttempts, isPasswordRefusal } from '../limits/passwordAttempts';
import { runInBackground } from '../jobs/background';
import { runGrantedRetrieveJob, runRetrieveJob } from '../jobs/retrieveJob';
import { FileAccess } from '../sharing/access';
import { Usernames } from '../sharing/people';
import { FileTooLargeError } from '../settings/errors';
import { planDelivery } from '../policy/deliveryPlan';
import { readWorkspacePolicy } from '../policy/workspacePolicy';
import { readConfig } from '../settings/config';
import type { ViewContext } from '../storage/ViewContextStorage';
import { ViewContextStorage, ViewKind } from '../storage/ViewContextStorage';
import { markdownLiteral } from '../ui/format';
import { getModal } from '../ui/getModal';
import { ActionId, BlockId } from '../ui/ids';
import { inputValue, type ViewErrors, type ViewState } from '../ui/viewState';
import type { Accessors } from '../edge/Accessors';
import { openViewWithContext } from './openView';
import { describeError } from '../ui/describeError';
import { logFailure } from '../errors';

/** The header check must fit the client's 5 s window together with one key derivation. */
const HEADER_PROBE_TIMEOUT_MS = 3000;

export interface GetOpening {
  readonly user: IUser;
  readonly room: IRoom;
  readonly triggerId: string;
  readonly threadId?: string;
  readonly cid?: string;
}

export async function openGetModal(accessors: Accessors, opening: GetOpening): Promise<void> {
  const t = await translatorForUser(opening.user, accessors.read);
  await openViewWithContext(accessors, opening, ViewKind.Get, { prefilledCid: opening.cid }, (viewId) =>
    getModal(t, { appId: accessors.appId, viewId, cid: opening.cid }),
  );
}

/**
 * Checks CID, object header, password and the workspace's delivery rules inside the modal's 5 s window by reading
 * only the object's first bytes, then fetches and decrypts the whole file in the background.
 */
export async function submitGet(
  accessors: Accessors,
  user: IUser,
  viewId: string,
  context: ViewContext,
  state: ViewState,
): Promise<ViewErrors> {
  const { read, modify, http } = accessors;
  const t = await translatorForUser(user, read);
  const cidText = inputValue(state, BlockId.Cid, ActionId.Cid) || context.prefilledCid || '';
  const password = inputValue(state, BlockId.Password, ActionId.Password);
  let cid = '';
  const errors: ViewErrors = {};
  try {
    cid = formatCid(parseCid(cidText));
  } catch (error) {
    errors[ActionId.Cid] = describeError(t, error);
  }
  if (!password) {
    errors[ActionId.Password] = t('error_password_missing');
  }
  if (!cid || !password) {
    return errors;
  }
  const attempts = new PasswordAttempts(accessors.persistence, read.getPersistenceReader());
  try {
    // a guess that must wait, or would run beside another, is refused before the provider is even asked
    await attempts.check(user.id);
  } catch (error) {
    return { [ActionId.Password]: describeError(t, error) };
  }

  try {
    const config = await readConfig(read);
    const probeTimeout = Math.min(config.provider.timeoutMs, HEADER_PROBE_TIMEOUT_MS);
    const probe = new KuboRpcClient(http, { ...config.provider, timeoutMs: probeTimeout });
    const prefix = await probe.cat(cid, { offset: 0, length: HEADER_PROBE_BYTES });
    const header = parseHeader(prefix);
    const room = await read.getRoomReader().getById(context.roomId);
    if (!room) {
      return { [ActionId.Cid]: t('error_room_gone') };
    }
    // a costlier KDF than the form's 5 s allow (any of logN, r, p or N·r·p): checked after the form closed
    let unlocked: UnlockedObject | undefined;
    if (withinKdfBudget(header.kdf, INTERACTIVE_KDF_BUDGET)) {
      try {
        unlocked = await attempts.guard(user.id, () => unlockHeader(header, password));
      } catch (error) {
        if (isPasswordRefusal(error)) {
          return { [ActionId.Password]: describeError(t, error) };
        }
        throw error;
      }
    }
    if (unlocked && unlocked.metadata.size > config.maxFileBytes) {
      throw new FileTooLargeError(unlocked.metadata.size, config.maxFileBytes);
    }
    if (unlocked) {
      // refused here, with the form still open, when the workspace lets the file go nowhere
      await planDelivery(read, await readWorkspacePolicy(read), config.delivery, user, room, unlocked.metadata);
    }
    await new ViewContextStorage(accessors.persistence, read.getPersistenceReader()).remove(viewId);
    runInBackground(
      async () => {
        const opened = unlocked ?? (await attempts.guard(user.id, () => unlockHeader(header, password)));
        if (opened.metadata.size > config.maxFileBytes) {
          throw new FileTooLargeError(opened.metadata.size, config.maxFileBytes);
        }
        await runRetrieveJob(accessors, { user, room, cid, unlocked: opened, config, t });
      },
      (error) =>
        new Chat(read, modify).tell(
          user,
          room,
          t('get_failed', { name: markdownLiteral(unlocked?.metadata.name ?? cid), reason: describeError(t, error) }),
        ),
    );
    return {};
  } catch (error) {
    logFailure(accessors.logger, 'get submit failed', error);
    return { [ActionId.Cid]: describeError(t, error) };
  }
}

/**
 * Gets a file for someone who holds its key (the owner, or the recipient of a live share): no password,
 * straight to the background job.
 * @returns false when the user holds no key for it, so the caller asks for the password instead.
 * @throws ShareExpiredError when the user's share has ended.
 */
export async function startGrantedRetrieval(
  accessors: Accessors,
  user: IUser,
  room: IRoom,
  cid: string,
): Promise<boolean> {
  const { read, modify, persistence } = accessors;
  const access = new FileAccess(persistence, read.getPersistenceReader());
  const fileKey = await access.fileKeyFor(user.id, cid, Date.now());
  const grant = await access.grants.find(cid, user.id);
  if (!fileKey || !grant) {
    return false;
  }
  const t = await translatorForUser(user, read);
  const config = await readConfig(read);
  const chat = new Chat(read, modify);
  const owner = await new Usernames(read).of(grant.ownerId);
  await chat.tell(user, room, t('get_with_key', { name: markdownLiteral(grant.name), owner, cid }));
  runInBackground(
    () => runGrantedRetrieveJob(accessors, { user, room, cid, fileKey, config, t }),
    (error) => chat.tell(user, room, t('get_failed', { name: markdownLiteral(cid), reason: describeError(t, error) })),
  );
  return true;
}
