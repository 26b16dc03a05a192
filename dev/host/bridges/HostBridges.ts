import { AppBridges } from '@rocket.chat/apps-engine/server/bridges';
import { ListenerBridge } from '@rocket.chat/apps-engine/server/bridges/ListenerBridge';
import type { Workspace } from '../workspace';
import { HostAppActivationBridge } from './activation';
import { HostApiBridge } from './api';
import { HostAppDetailChangesBridge } from './appSettings';
import { HostCommandBridge } from './commands';
import { HostInternalFederationBridge } from './federation';
import { HostHttpBridge } from './http';
import { HostInternalBridge } from './internal';
import { base, loud } from './loud';
import { HostMessageBridge } from './messages';
import { HostPersistenceBridge } from './persistence';
import { HostRoomBridge } from './rooms';
import { HostSchedulerBridge } from './scheduler';
import { HostServerSettingBridge } from './serverSettings';
import { HostThreadBridge } from './threads';
import { HostUiInteractionBridge } from './uiInteraction';
import * as unsupported from './unsupported';
import { HostUploadBridge } from './uploads';
import { HostUserBridge } from './users';

/** Rocket.Chat's listener bridge forwards workspace events to apps; the host triggers no events yet. */
class HostListenerBridge extends base(ListenerBridge) {}

/** Every bridge the engine asks for, each wrapped so an unimplemented method fails loudly. */
export class HostBridges extends AppBridges {
  readonly commands: HostCommandBridge;
  readonly messages: HostMessageBridge;
  readonly uploads: HostUploadBridge;
  readonly scheduler: HostSchedulerBridge;
  readonly activation: HostAppActivationBridge;
  readonly appSettings: HostAppDetailChangesBridge;
  readonly http: HostHttpBridge;
  readonly api: HostApiBridge;
  private readonly all: Record<string, object>;

  constructor(ws: Workspace) {
    super();
    const wrap = <T extends object>(b: T, name: string): T => loud(b, name, ws);
    this.commands = wrap(new HostCommandBridge(), 'CommandBridge');
    this.messages = wrap(new HostMessageBridge(ws), 'MessageBridge');
    this.uploads = wrap(new HostUploadBridge(ws), 'UploadBridge');
    this.scheduler = wrap(new HostSchedulerBridge(ws), 'SchedulerBridge');
    this.activation = wrap(new HostAppActivationBridge(), 'AppActivationBridge');
    this.appSettings = wrap(new HostAppDetailChangesBridge(ws), 'AppDetailChangesBridge');
    this.http = wrap(new HostHttpBridge(ws), 'HttpBridge');
    this.api = wrap(new HostApiBridge(ws), 'ApiBridge');
    this.all = {
      users: wrap(new HostUserBridge(ws), 'UserBridge'),
      rooms: wrap(new HostRoomBridge(ws), 'RoomBridge'),
      threads: wrap(new HostThreadBridge(ws), 'ThreadBridge'),
      persistence: wrap(new HostPersistenceBridge(ws), 'PersistenceBridge'),
      serverSettings: wrap(new HostServerSettingBridge(ws), 'ServerSettingBridge'),
      ui: wrap(new HostUiInteractionBridge(ws), 'UiInteractionBridge'),
      internal: wrap(new HostInternalBridge(ws), 'InternalBridge'),
      federation: wrap(new HostInternalFederationBridge(), 'InternalFederationBridge'),
      listener: wrap(new HostListenerBridge(), 'ListenerBridge'),
      livechat: wrap(new unsupported.HostLivechatBridge(), 'LivechatBridge'),
      contact: wrap(new unsupported.HostContactBridge(), 'ContactBridge'),
      email: wrap(new unsupported.HostEmailBridge(), 'EmailBridge'),
      env: wrap(new unsupported.HostEnvironmentalVariableBridge(), 'EnvironmentalVariableBridge'),
      cloud: wrap(new unsupported.HostCloudWorkspaceBridge(), 'CloudWorkspaceBridge'),
      video: wrap(new unsupported.HostVideoConferenceBridge(), 'VideoConferenceBridge'),
      oauth: wrap(new unsupported.HostOAuthAppsBridge(), 'OAuthAppsBridge'),
      moderation: wrap(new unsupported.HostModerationBridge(), 'ModerationBridge'),
      role: wrap(new unsupported.HostRoleBridge(), 'RoleBridge'),
      outbound: wrap(new unsupported.HostOutboundMessageBridge(), 'OutboundMessageBridge'),
      experimental: wrap(new unsupported.HostExperimentalBridge(), 'ExperimentalBridge'),
    };
  }

  private get<T>(key: string): T {
    return this.all[key] as T;
  }
  getCommandBridge() {
    return this.commands as unknown as ReturnType<AppBridges['getCommandBridge']>;
  }
  getApiBridge() {
    return this.api as unknown as ReturnType<AppBridges['getApiBridge']>;
  }
  getAppDetailChangesBridge() {
    return this.appSettings as unknown as ReturnType<AppBridges['getAppDetailChangesBridge']>;
  }
  getHttpBridge() {
    return this.http as unknown as ReturnType<AppBridges['getHttpBridge']>;
  }
  getMessageBridge() {
    return this.messages as unknown as ReturnType<AppBridges['getMessageBridge']>;
  }
  getAppActivationBridge() {
    return this.activation as unknown as ReturnType<AppBridges['getAppActivationBridge']>;
  }
  getUploadBridge() {
    return this.uploads as unknown as ReturnType<AppBridges['getUploadBridge']>;
  }
  getSchedulerBridge() {
    return this.scheduler as unknown as ReturnType<AppBridges['getSchedulerBridge']>;
  }
  getPersistenceBridge() {
    return this.get<ReturnType<AppBridges['getPersistenceBridge']>>('persistence');
  }
  getContactBridge() {
    return this.get<ReturnType<AppBridges['getContactBridge']>>('contact');
  }
  getEnvironmentalVariableBridge() {
    return this.get<ReturnType<AppBridges['getEnvironmentalVariableBridge']>>('env');
  }
  getListenerBridge() {
    return this.get<ReturnType<AppBridges['getListenerBridge']>>('listener');
  }
  getLivechatBridge() {
    return this.get<ReturnType<AppBridges['getLivechatBridge']>>('livechat');
  }
  getRoomBridge() {
    return this.get<ReturnType<AppBridges['getRoomBridge']>>('rooms');
  }
  getInternalBridge() {
    return this.get<ReturnType<AppBridges['getInternalBridge']>>('internal');
  }
  getInternalFederationBridge() {
    return this.get<ReturnType<AppBridges['getInternalFederationBridge']>>('federation');
  }
  getServerSettingBridge() {
    return this.get<ReturnType<AppBridges['getServerSettingBridge']>>('serverSettings');
  }
  getEmailBridge() {
    return this.get<ReturnType<AppBridges['getEmailBridge']>>('email');
  }
  getUserBridge() {
    return this.get<ReturnType<AppBridges['getUserBridge']>>('users');
  }
  getUiInteractionBridge() {
    return this.get<ReturnType<AppBridges['getUiInteractionBridge']>>('ui');
  }
  getCloudWorkspaceBridge() {
    return this.get<ReturnType<AppBridges['getCloudWorkspaceBridge']>>('cloud');
  }
  getVideoConferenceBridge() {
    return this.get<ReturnType<AppBridges['getVideoConferenceBridge']>>('video');
  }
  getOAuthAppsBridge() {
    return this.get<ReturnType<AppBridges['getOAuthAppsBridge']>>('oauth');
  }
  getModerationBridge() {
    return this.get<ReturnType<AppBridges['getModerationBridge']>>('moderation');
  }
  getThreadBridge() {
    return this.get<ReturnType<AppBridges['getThreadBridge']>>('threads');
  }
  getRoleBridge() {
    return this.get<ReturnType<AppBridges['getRoleBridge']>>('role');
  }
  getOutboundMessageBridge() {
    return this.get<ReturnType<AppBridges['getOutboundMessageBridge']>>('outbound');
  }
  getExperimentalBridge() {
    return this.get<ReturnType<AppBridges['getExperimentalBridge']>>('experimental');
  }
}
