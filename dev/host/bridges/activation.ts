/* eslint-disable @typescript-eslint/require-await -- in-memory implementations of the engine's async interfaces */
import type { AppStatus } from '@rocket.chat/apps-engine/definition/AppStatus';
import type { ProxiedApp } from '@rocket.chat/apps-engine/server/ProxiedApp';
import { AppActivationBridge } from '@rocket.chat/apps-engine/server/bridges/AppActivationBridge';
import { base } from './loud';

/** Told about app lifecycle changes (Rocket.Chat broadcasts them to clients); the host keeps the history. */
export class HostAppActivationBridge extends base(AppActivationBridge) {
  readonly events: Array<{ event: string; appId: string; status?: AppStatus }> = [];
  protected async appAdded(app: ProxiedApp): Promise<void> {
    this.events.push({ event: 'added', appId: app.getID() });
  }
  protected async appUpdated(app: ProxiedApp): Promise<void> {
    this.events.push({ event: 'updated', appId: app.getID() });
  }
  protected async appRemoved(app: ProxiedApp): Promise<void> {
    this.events.push({ event: 'removed', appId: app.getID() });
  }
  protected async appStatusChanged(app: ProxiedApp, status: AppStatus): Promise<void> {
    this.events.push({ event: 'status', appId: app.getID(), status });
  }
  protected async actionsChanged(): Promise<void> {
    this.events.push({ event: 'actionsChanged', appId: '' });
  }
}
