import type {
  IAppAccessors,
  IAppInstallationContext,
  IConfigurationExtend,
  IConfigurationModify,
  IEnvironmentRead,
  IHttp,
  ILogger,
  IModify,
  IPersistence,
  IRead,
} from '@rocket.chat/apps-engine/definition/accessors';
import { App } from '@rocket.chat/apps-engine/definition/App';
import type { IAppInfo } from '@rocket.chat/apps-engine/definition/metadata';
import { UIActionButtonContext } from '@rocket.chat/apps-engine/definition/ui';
import type {
  IUIKitInteractionHandler,
  IUIKitResponse,
  UIKitActionButtonInteractionContext,
  UIKitBlockInteractionContext,
  UIKitViewCloseInteractionContext,
  UIKitViewSubmitInteractionContext,
} from '@rocket.chat/apps-engine/definition/uikit';
import { IpfsCommand } from './src/commands/IpfsCommand';
import type { Accessors } from './src/edge/Accessors';
import { handleActionButton } from './src/handlers/ActionButtonHandler';
import { handleViewClose, handleViewSubmit } from './src/handlers/ViewSubmitHandler';
import { SETTINGS } from './src/settings/settings';
import { handleBlockAction } from './src/handlers/BlockActionHandler';
import { ensureWorkspaceSecret } from './src/keys/workspaceSecret';
import { FileAccess } from './src/sharing/access';
import { EXPIRE_SHARE_JOB, expireShare } from './src/sharing/shares';
import { REPORT_INTERRUPTED_JOB, reportInterruptedJobs } from './src/jobs/inFlight';
import { ActionId } from './src/ui/ids';
import type { IMessage, IPostMessageSent } from '@rocket.chat/apps-engine/definition/messages';
import type { IFileUploadContext, IPreFileUpload } from '@rocket.chat/apps-engine/definition/uploads';
import {
  ARCHIVE_RECOVERY_JOB,
  onPostMessageSent,
  onPreFileUpload,
  recoverInterruptedArchives,
} from './src/archive/hooks';
import { ApiSecurity, ApiVisibility } from '@rocket.chat/apps-engine/definition/api';
import { pageEndpoints } from './src/page/endpoints';
import { createHash } from 'crypto';
import { useBlockHasher } from './src/ipfs/blockHash';
import { useScrypt } from './src/crypto';
import { nativeScrypt } from './src/crypto/nativeScrypt';

/** Wires the app into the workspace; every behaviour lives in src/. */
export class IpfsStorageApp extends App implements IUIKitInteractionHandler, IPreFileUpload, IPostMessageSent {
  constructor(info: IAppInfo, logger: ILogger, accessors: IAppAccessors) {
    super(info, logger, accessors);
    // the runtime's native SHA-256 hashes every block ~9× faster than the portable one (src/ipfs/blockHash.ts)
    useBlockHasher((bytes) => createHash('sha256').update(bytes).digest());
    // the password's scrypt off the app's only thread, so no other call waits half a second behind it
    useScrypt(nativeScrypt);
  }

  protected async extendConfiguration(configuration: IConfigurationExtend): Promise<void> {
    await Promise.all(SETTINGS.map((setting) => configuration.settings.provideSetting(setting)));
    await configuration.slashCommands.provideSlashCommand(new IpfsCommand(this));
    await configuration.scheduler.registerProcessors([
      {
        id: EXPIRE_SHARE_JOB,
        processor: (job, read, _modify, _http, persistence) =>
          expireShare(new FileAccess(persistence, read.getPersistenceReader()), job),
      },
      {
        id: REPORT_INTERRUPTED_JOB,
        processor: (_job, read, modify, _http, persistence) => reportInterruptedJobs(read, modify, persistence),
      },
      {
        id: ARCHIVE_RECOVERY_JOB,
        processor: (_job, read, modify, http, persistence) =>
          recoverInterruptedArchives(this.accessorsFor(read, http, persistence, modify)),
      },
    ]);
    await configuration.api.provideApi({
      visibility: ApiVisibility.PUBLIC,
      security: ApiSecurity.UNSECURE,
      endpoints: pageEndpoints(),
    });
    configuration.ui.registerButton({
      actionId: ActionId.StoreMessageFile,
      labelI18n: 'action_store_on_ipfs',
      context: UIActionButtonContext.MESSAGE_ACTION,
    });
  }

  /**
   * Runs at every start of the app's process, including the engine's restart of a process it killed: jobs the
   * old process was running are reported to their users shortly after (the scheduler has the accessors).
   */
  public async onEnable(_environment: IEnvironmentRead, configuration: IConfigurationModify): Promise<boolean> {
    try {
      await configuration.scheduler.scheduleOnce({ id: REPORT_INTERRUPTED_JOB, when: 'in 5 seconds' });
      await configuration.scheduler.scheduleOnce({ id: ARCHIVE_RECOVERY_JOB, when: 'in 5 seconds' });
    } catch (error) {
      this.getLogger().warn('could not schedule the report of interrupted jobs', error);
    }
    return true;
  }

  public async onInstall(
    _context: IAppInstallationContext,
    read: IRead,
    _http: IHttp,
    persistence: IPersistence,
  ): Promise<void> {
    await ensureWorkspaceSecret(persistence, read.getPersistenceReader());
  }

  public async executeBlockActionHandler(
    context: UIKitBlockInteractionContext,
    read: IRead,
    http: IHttp,
    persistence: IPersistence,
    modify: IModify,
  ): Promise<IUIKitResponse> {
    return handleBlockAction(this.accessorsFor(read, http, persistence, modify), context);
  }

  public async executeViewSubmitHandler(
    context: UIKitViewSubmitInteractionContext,
    read: IRead,
    http: IHttp,
    persistence: IPersistence,
    modify: IModify,
  ): Promise<IUIKitResponse> {
    return handleViewSubmit(this.accessorsFor(read, http, persistence, modify), context);
  }

  public async executeViewClosedHandler(
    context: UIKitViewCloseInteractionContext,
    read: IRead,
    http: IHttp,
    persistence: IPersistence,
    modify: IModify,
  ): Promise<IUIKitResponse> {
    return handleViewClose(this.accessorsFor(read, http, persistence, modify), context);
  }

  public async executeActionButtonHandler(
    context: UIKitActionButtonInteractionContext,
    read: IRead,
    http: IHttp,
    persistence: IPersistence,
    modify: IModify,
  ): Promise<IUIKitResponse> {
    return handleActionButton(this.accessorsFor(read, http, persistence, modify), context);
  }

  /** Archives the upload in an archiving room: queues it and returns at once (src/archive/hooks.ts). */
  public async executePreFileUpload(
    context: IFileUploadContext,
    read: IRead,
    http: IHttp,
    persistence: IPersistence,
    modify: IModify,
  ): Promise<void> {
    await onPreFileUpload(this.accessorsFor(read, http, persistence, modify), context);
  }

  /** Links a file message to its archived object. */
  public async executePostMessageSent(
    message: IMessage,
    read: IRead,
    http: IHttp,
    persistence: IPersistence,
    modify: IModify,
  ): Promise<void> {
    await onPostMessageSent(this.accessorsFor(read, http, persistence, modify), message);
  }

  private accessorsFor(read: IRead, http: IHttp, persistence: IPersistence, modify: IModify): Accessors {
    return { appId: this.getID(), logger: this.getLogger(), read, http, persistence, modify };
  }
}
