/* eslint-disable @typescript-eslint/require-await -- in-memory implementations of the engine's async interfaces */
import type { AppApi } from '@rocket.chat/apps-engine/server/managers/AppApi';
import { ApiBridge } from '@rocket.chat/apps-engine/server/bridges/ApiBridge';
import { base } from './loud';

/** REST endpoints an app provides (the host records them; it serves no HTTP). */
export class HostApiBridge extends base(ApiBridge) {
  readonly apis: Array<{ appId: string; api: AppApi }> = [];
  protected async registerApi(api: AppApi, appId: string): Promise<void> {
    this.apis.push({ appId, api });
  }
  protected async unregisterApis(appId: string): Promise<void> {
    for (let i = this.apis.length - 1; i >= 0; i--) if (this.apis[i].appId === appId) this.apis.splice(i, 1);
  }
}
