import type { IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { UserFacingError } from '../errors';
import type { ProviderConfig } from '../ipfs/KuboRpcClient';
import {
  AnnounceMode,
  DEFAULT_MAX_FILE_SIZE_MB,
  DEFAULT_TIMEOUT_SECONDS,
  DeliveryTarget,
  KDF_COST_RANGE,
  MAX_FILE_SIZE_CAP_MB,
  PRESET_URLS,
  ProviderPreset,
  SettingId,
} from './settings';

/** The admin's settings, read at the moment of use so a change applies to the next action. */
export interface AppConfig {
  readonly preset: ProviderPreset;
  readonly provider: ProviderConfig;
  readonly maxFileBytes: number;
  readonly kdfLogN: number;
  readonly delivery: DeliveryTarget;
  readonly announce: AnnounceMode;
}

export class ProviderNotConfiguredError extends UserFacingError {
  constructor() {
    super('error_provider_not_configured', 'the IPFS provider has no usable API URL');
  }
}

export async function readConfig(read: IRead): Promise<AppConfig> {
  const settings = read.getEnvironmentReader().getSettings();
  const value = async (id: SettingId): Promise<unknown> => settings.getValueById(id);
  const text = async (id: SettingId): Promise<string> => asText(await value(id)).trim();
  const number = async (id: SettingId, fallback: number): Promise<number> => {
    const parsed = Number(await value(id));
    return Number.isFinite(parsed) ? parsed : fallback;
  };

  const preset = oneOf(await text(SettingId.Provider), Object.values(ProviderPreset), ProviderPreset.Kubo);
  const apiUrl = ((await text(SettingId.ApiUrl)) || PRESET_URLS[preset]).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/i.test(apiUrl)) {
    throw new ProviderNotConfiguredError();
  }
  const username = await text(SettingId.Username);
  const password = asText(await value(SettingId.Password));
  const token = (await text(SettingId.BearerToken)).replace(/^Bearer\s+/i, '');
  const timeoutSeconds = clamp(await number(SettingId.TimeoutSeconds, DEFAULT_TIMEOUT_SECONDS), 5, 600);
  const maxMb = clamp(await number(SettingId.MaxFileSizeMb, DEFAULT_MAX_FILE_SIZE_MB), 1, MAX_FILE_SIZE_CAP_MB);

  return {
    preset,
    provider: { apiUrl, auth: chooseAuth(preset, username, password, token), timeoutMs: timeoutSeconds * 1000 },
    maxFileBytes: Math.floor(maxMb * 1024 * 1024),
    kdfLogN: Math.round(
      clamp(await number(SettingId.KdfCost, KDF_COST_RANGE.default), KDF_COST_RANGE.min, KDF_COST_RANGE.max),
    ),
    delivery: oneOf(await text(SettingId.Delivery), Object.values(DeliveryTarget), DeliveryTarget.DirectMessage),
    announce: oneOf(await text(SettingId.Announce), Object.values(AnnounceMode), AnnounceMode.ThreadReply),
  };
}

/** Infura speaks Basic auth, Filebase a Bearer token; a self-hosted or custom node takes whichever is filled in. */
function chooseAuth(preset: ProviderPreset, username: string, password: string, token: string): ProviderConfig['auth'] {
  if (preset === ProviderPreset.Filebase || (preset !== ProviderPreset.Infura && !username && token)) {
    return token ? { kind: 'bearer', token } : { kind: 'none' };
  }
  return username ? { kind: 'basic', username, password } : { kind: 'none' };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function oneOf<T extends string>(value: string, allowed: T[], fallback: T): T {
  return (allowed as string[]).includes(value) ? (value as T) : fallback;
}

/** A setting's value as text; Rocket.Chat stores strings, numbers and booleans. */
function asText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}
