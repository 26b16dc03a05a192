/* eslint-disable @typescript-eslint/require-await -- in-memory implementations of the engine's async interfaces */
import type { ISetting } from '@rocket.chat/apps-engine/definition/settings';
import { SettingType } from '@rocket.chat/apps-engine/definition/settings';
import { ServerSettingBridge } from '@rocket.chat/apps-engine/server/bridges/ServerSettingBridge';
import type { Workspace } from '../workspace';
import { base } from './loud';

/** Workspace (admin) settings such as `Language` and `Site_Url`, read-only for apps. */
export class HostServerSettingBridge extends base(ServerSettingBridge) {
  constructor(private readonly ws: Workspace) {
    super();
  }
  private toSetting(id: string, value: unknown): ISetting {
    const at = this.ws.now();
    const type =
      typeof value === 'boolean'
        ? SettingType.BOOLEAN
        : typeof value === 'number'
          ? SettingType.NUMBER
          : SettingType.STRING;
    return {
      id,
      type,
      packageValue: value,
      value,
      required: false,
      public: true,
      i18nLabel: id,
      createdAt: at,
      updatedAt: at,
    };
  }
  protected async getAll(): Promise<ISetting[]> {
    return [...this.ws.serverSettings].map(([id, v]) => this.toSetting(id, v));
  }
  protected async getOneById(id: string): Promise<ISetting> {
    if (!this.ws.serverSettings.has(id)) throw new Error(`Setting "${id}" is not readable.`);
    return this.toSetting(id, this.ws.serverSettings.get(id));
  }
  protected async isReadableById(id: string): Promise<boolean> {
    return this.ws.serverSettings.has(id);
  }
}
