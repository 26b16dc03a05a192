import type { ISetting } from '@rocket.chat/apps-engine/definition/settings';
import { AppDetailChangesBridge } from '@rocket.chat/apps-engine/server/bridges/AppDetailChangesBridge';
import type { Workspace } from '../workspace';
import { base } from './loud';

/** Told when an app setting changes (Rocket.Chat pushes it to admin clients); the host records the changes. */
export class HostAppDetailChangesBridge extends base(AppDetailChangesBridge) {
  readonly changes: Array<{ appId: string; setting: ISetting }> = [];
  constructor(private readonly ws: Workspace) {
    super();
  }
  protected onAppSettingsChange(appId: string, setting: ISetting): void {
    this.changes.push({ appId, setting });
    this.ws.changed();
  }
}
