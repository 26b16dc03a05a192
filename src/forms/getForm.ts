import {
  encryptedSize,
  HEADER_PROBE_BYTES,
  INTERACTIVE_KDF_BUDGET,
  parseHeader,
  unlockHeaderAsync,
  withinKdfBudget,
  type UnlockedObject,
} from '../crypto';
import type { RoomCall } from '../edge/Call';
import { CODEC_RAW, formatCid, parseCid } from '../ipfs/cid';
import { dagFileSize, type DagReadClient } from '../ipfs/DagReader';
import { KuboRpcClient } from '../ipfs/KuboRpcClient';
import { offerPage } from '../page/offer';
import { runInBackground } from '../jobs/background';
import { runGrantedRetrieveJob, runRetrieveJob } from '../jobs/retrieveJob';
import { PasswordAttempts, isPasswordRefusal } from '../limits/passwordAttempts';
import { planDelivery } from '../policy/deliveryPlan';
import { readWorkspacePolicy } from '../policy/workspacePolicy';
import { readConfig } from '../settings/config';
import { Usernames } from '../sharing/people';
import { ViewKind } from '../storage/ViewContextStorage';
import { describeError } from '../ui/describeError';
import { formatBytes, markdownLiteral } from '../ui/format';
import { getModal } from '../ui/getModal';
import { ActionId, BlockId } from '../ui/ids';
import { inputValue, type ViewErrors } from '../ui/viewState';
import { openView, type FormFlow, type Trigger } from './FormFlow';

/** The header check must fit the client's 5 s window together with one key derivation. */
const HEADER_PROBE_TIMEOUT_MS = 3000;

/** `/ipfs get [CID]` for a file the user holds no key to: the form asks for the CID and the password. */
export async function openGetForm(call: RoomCall, trigger: Trigger & { readonly cid?: string }): Promise<void> {
  await openView(call, trigger, { kind: ViewKind.Get, prefilledCid: trigger.cid }, (viewId) =>
    getModal(call.t, { appId: call.accessors.appId, viewId, cid: trigger.cid }),
  );
}

/**
 * Checks CID, object header, password and the workspace's delivery rules inside the form's 5 s by reading only
 * the object's first bytes (a KDF costlier than the form allows is checked after it closed), then fetches and
 * decrypts the whole file in the background.
 */
export const getForm: FormFlow<ViewKind.Get> = {
  kind: ViewKind.Get,
  async decide({ accessors, user, room, t }, context, state) {
    const { read, http, persistence } = accessors;
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
      return { errors };
    }
    const attempts = new PasswordAttempts(persistence, read.getPersistenceReader());
    try {
      // a guess that must wait, or would run beside another, is refused before the provider is even asked
      await attempts.check(user.id);
    } catch (error) {
      return { errors: { [ActionId.Password]: describeError(t, error) } };
    }

    const config = await readConfig(read);
    const probeTimeout = Math.min(config.provider.timeoutMs, HEADER_PROBE_TIMEOUT_MS);
    const probe = new KuboRpcClient(http, { ...config.provider, timeoutMs: probeTimeout });
    const header = parseHeader(await probe.cat(cid, { offset: 0, length: HEADER_PROBE_BYTES }));
    const tooBig = { max: formatBytes(config.maxFileBytes) };
    const offerThePage = () => offerPage(accessors, user, room, cid, t, 'too_big', tooBig);
    // more than chat delivery takes: the browser page opens it, and the password stays unused on the server
    if (await overChatLimit(probe, cid, config.maxFileBytes)) {
      return { background: offerThePage, failure: (reason) => t('get_failed', { name: cid, reason }) };
    }
    let unlocked: UnlockedObject | undefined;
    if (withinKdfBudget(header.kdf, INTERACTIVE_KDF_BUDGET)) {
      try {
        unlocked = await attempts.guard(user.id, () => unlockHeaderAsync(header, password));
      } catch (error) {
        if (isPasswordRefusal(error)) {
          return { errors: { [ActionId.Password]: describeError(t, error) } };
        }
        throw error;
      }
      if (unlocked.metadata.size > config.maxFileBytes) {
        return { background: offerThePage, failure: (reason) => t('get_failed', { name: cid, reason }) };
      }
      // refused here, with the form still open, when the workspace lets the file go nowhere
      await planDelivery(read, await readWorkspacePolicy(read), config.delivery, user, room, unlocked.metadata);
    }
    return {
      background: async () => {
        const opened = unlocked ?? (await attempts.guard(user.id, () => unlockHeaderAsync(header, password)));
        if (opened.metadata.size > config.maxFileBytes) {
          return offerThePage();
        }
        await runRetrieveJob(accessors, { user, room, cid, unlocked: opened, config, t });
      },
      failure: (reason) => t('get_failed', { name: markdownLiteral(unlocked?.metadata.name ?? cid), reason }),
    };
  },
};

/**
 * Gets a file for someone who holds its key (the owner, or the recipient of a live share): no password,
 * straight to the background job.
 * @returns false when the user holds no key for it, so the caller asks for the password instead.
 * @throws ShareExpiredError when the user's share has ended.
 */
export async function startGrantedRetrieval(call: RoomCall, cid: string): Promise<boolean> {
  const { accessors, user, room, t, chat, files } = call;
  const fileKey = await files.fileKeyFor(user.id, cid, Date.now());
  const grant = await files.grants.find(cid, user.id);
  if (!fileKey || !grant) {
    return false;
  }
  const config = await readConfig(accessors.read);
  const owner = await new Usernames(accessors.read).of(grant.ownerId);
  await chat.tell(user, room, t('get_with_key', { name: markdownLiteral(grant.name), owner, cid }));
  runInBackground(
    () => runGrantedRetrieveJob(accessors, { user, room, cid, fileKey, config, t }),
    (error) =>
      chat.tell(user, room, t('get_failed', { name: markdownLiteral(grant.name), reason: describeError(t, error) })),
  );
  return true;
}

/**
 * Whether the object is bigger than chat delivery takes. A raw CID is a single block, far below any chat limit
 * (and a limit set lower is caught from the metadata): only a dag-pb root is read, and it holds links, not content,
 * so nothing of the file is downloaded before the workspace's policies are checked.
 */
async function overChatLimit(probe: DagReadClient, cid: string, maxFileBytes: number): Promise<boolean> {
  if (parseCid(cid).codec === CODEC_RAW) return false;
  return (await dagFileSize(probe, cid)) > encryptedSize(maxFileBytes);
}
