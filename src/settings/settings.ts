import { type ISetting, SettingType } from '@rocket.chat/apps-engine/definition/settings';

/** Setting ids; each id is also the i18n key of its label, and `<id>_description` of its description. */
export enum SettingId {
  Provider = 'ipfs_provider',
  ApiUrl = 'ipfs_api_url',
  Username = 'ipfs_username',
  Password = 'ipfs_password',
  BearerToken = 'ipfs_bearer_token',
  TimeoutSeconds = 'ipfs_timeout_seconds',
  MaxFileSizeMb = 'max_file_size_mb',
  KdfCost = 'kdf_cost',
  Delivery = 'delivery',
  Announce = 'announce',
  ArchiveMode = 'archive_mode',
  ArchiveNotice = 'archive_notice',
  PageGatewayUrl = 'page_gateway_url',
}

export enum ProviderPreset {
  Kubo = 'kubo',
  Infura = 'infura',
  Filebase = 'filebase',
  Custom = 'custom',
}

export enum DeliveryTarget {
  DirectMessage = 'dm',
  Room = 'room',
}

/** Which rooms archive every upload to IPFS (`/ipfs archive on` in a room that opts in). */
export enum ArchiveMode {
  Off = 'off',
  OptIn = 'opt_in',
  Every = 'every',
}

/** How members learn that an upload was archived: only when they look (`/ipfs list`), or a thread reply each. */
export enum ArchiveNotice {
  Quiet = 'quiet',
  ThreadReply = 'thread',
}

export enum AnnounceMode {
  ThreadReply = 'thread',
  UserOnly = 'user',
}

/** The URL each preset uses when the admin leaves the API URL empty. */
export const PRESET_URLS: Record<ProviderPreset, string> = {
  [ProviderPreset.Kubo]: 'http://127.0.0.1:5001',
  [ProviderPreset.Infura]: 'https://ipfs.infura.io:5001',
  [ProviderPreset.Filebase]: 'https://rpc.filebase.io',
  [ProviderPreset.Custom]: '',
};

export const KDF_COST_RANGE = { min: 15, max: 20, default: 17 } as const;
export const DEFAULT_MAX_FILE_SIZE_MB = 20;
/**
 * The engine kills and restarts an app whose process stays busy ~40 s; reading a 50 MB upload did that in
 * our benchmark (docs/PERFORMANCE.md), and the host process crashed with it. No admin setting goes past this.
 */
export const MAX_FILE_SIZE_CAP_MB = 32;
export const DEFAULT_TIMEOUT_SECONDS = 120;

function setting(id: SettingId, type: SettingType, packageValue: unknown, extra: Partial<ISetting> = {}): ISetting {
  return {
    id,
    type,
    packageValue,
    required: false,
    public: false,
    i18nLabel: id,
    i18nDescription: `${id}_description`,
    ...extra,
  };
}

/** Everything the workspace admin can configure, in the order the admin page shows it. */
export const SETTINGS: ISetting[] = [
  setting(SettingId.Provider, SettingType.SELECT, ProviderPreset.Kubo, {
    required: true,
    values: Object.values(ProviderPreset).map((key) => ({ key, i18nLabel: `ipfs_provider_${key}` })),
  }),
  setting(SettingId.ApiUrl, SettingType.STRING, ''),
  setting(SettingId.Username, SettingType.STRING, ''),
  setting(SettingId.Password, SettingType.PASSWORD, ''),
  setting(SettingId.BearerToken, SettingType.PASSWORD, ''),
  setting(SettingId.TimeoutSeconds, SettingType.NUMBER, DEFAULT_TIMEOUT_SECONDS, { required: true }),
  setting(SettingId.MaxFileSizeMb, SettingType.NUMBER, DEFAULT_MAX_FILE_SIZE_MB, { required: true }),
  setting(SettingId.KdfCost, SettingType.NUMBER, KDF_COST_RANGE.default, { required: true }),
  setting(SettingId.Delivery, SettingType.SELECT, DeliveryTarget.DirectMessage, {
    required: true,
    values: Object.values(DeliveryTarget).map((key) => ({ key, i18nLabel: `delivery_${key}` })),
  }),
  setting(SettingId.Announce, SettingType.SELECT, AnnounceMode.ThreadReply, {
    required: true,
    values: Object.values(AnnounceMode).map((key) => ({ key, i18nLabel: `announce_${key}` })),
  }),
  setting(SettingId.ArchiveMode, SettingType.SELECT, ArchiveMode.Off, {
    required: true,
    values: Object.values(ArchiveMode).map((key) => ({ key, i18nLabel: `archive_mode_${key}` })),
  }),
  setting(SettingId.ArchiveNotice, SettingType.SELECT, ArchiveNotice.Quiet, {
    required: true,
    values: Object.values(ArchiveNotice).map((key) => ({ key, i18nLabel: `archive_notice_${key}` })),
  }),
  setting(SettingId.PageGatewayUrl, SettingType.STRING, ''),
];
