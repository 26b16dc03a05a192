/* eslint-disable @typescript-eslint/require-await -- in-memory implementations of the engine's async interfaces */
import type { AppManager } from '@rocket.chat/apps-engine/server/AppManager';
import type { AppApi } from '@rocket.chat/apps-engine/server/managers/AppApi';
import { ApiBridge } from '@rocket.chat/apps-engine/server/bridges/ApiBridge';
import { AppEndpointServer } from '../http/appEndpoints';
import type { Workspace } from '../workspace';
import { base } from './loud';

/** REST endpoints an app provides, recorded and served over HTTP by `server` (see http/appEndpoints.ts). */
export class HostApiBridge extends base(ApiBridge) {
  readonly apis: Array<{ appId: string; api: AppApi }> = [];
  readonly server: AppEndpointServer;
  private manager?: AppManager;

  constructor(ws: Workspace) {
    super();
    this.server = new AppEndpointServer(ws, () => {
      if (!this.manager) throw new Error('host: the API bridge has no AppManager yet');
      return this.manager;
    });
  }

  /** The manager whose ApiManager runs the endpoints (set once the host built it). */
  attach(manager: AppManager): void {
    this.manager = manager;
  }

  protected async registerApi(api: AppApi, appId: string): Promise<void> {
    this.apis.push({ appId, api });
    this.server.register(api, appId);
  }
  protected async unregisterApis(appId: string): Promise<void> {
    for (let i = this.apis.length - 1; i >= 0; i--) if (this.apis[i].appId === appId) this.apis.splice(i, 1);
    this.server.unregister(appId);
  }
}
