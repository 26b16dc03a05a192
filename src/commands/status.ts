import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { withoutUserinfo } from '../errors';
import { describeError } from '../ui/describeError';
import { logFailure } from '../errors';
import type { Translate } from '../i18n/translate';
import { ProviderBlockedBySsrfError, SSRF_ALLOWLIST_SETTING } from '../ipfs/errors';
import { KuboRpcClient } from '../ipfs/KuboRpcClient';
import { readConfig } from '../settings/config';
import type { Subcommand } from './invocation';

/** Full diagnostics (provider URL, version, the provider's own error) are for workspace admins only. */
export function isWorkspaceAdmin(user: IUser): boolean {
  return Array.isArray(user.roles) && user.roles.includes('admin');
}

/** How the provider check went. */
export type StatusOutcome =
  | { ok: true; preset: string; apiUrl: string; version: string; latency: number }
  | { ok: false; apiUrl: string; error: unknown };

/**
 * The answer to `/ipfs status`: "works / does not work" for everyone; for an admin also where the provider
 * is (URL without credentials), its version or its error, and for an SSRF refusal the setting to change.
 */
export function describeStatus(t: Translate, admin: boolean, outcome: StatusOutcome): string {
  const url = withoutUserinfo(outcome.apiUrl);
  if (outcome.ok) {
    if (!admin) return t('status_ok_user');
    const { preset, version, latency } = outcome;
    return t('status_ok', { preset: t(`ipfs_provider_${preset}`), url, version, latency });
  }
  if (!admin) return t('status_failed_user');
  const lines = [t('status_failed', { url, reason: describeError(t, outcome.error) })];
  if (outcome.error instanceof ProviderBlockedBySsrfError) {
    lines.push(t('status_ssrf_hint', { setting: SSRF_ALLOWLIST_SETTING, value: outcome.error.host || url }));
  }
  return lines.join('\n');
}

/** `/ipfs status`: one cheap call to the provider. */
export const status: Subcommand = async ({ accessors, user, room, t, chat }) => {
  let outcome: StatusOutcome;
  let apiUrl = '?';
  try {
    const config = await readConfig(accessors.read);
    apiUrl = config.provider.apiUrl;
    const started = Date.now();
    const { version } = await new KuboRpcClient(accessors.http, config.provider).version();
    outcome = { ok: true, preset: config.preset, apiUrl, version, latency: Date.now() - started };
  } catch (error) {
    logFailure(accessors.logger, '/ipfs status: the provider check failed', error);
    outcome = { ok: false, apiUrl, error };
  }
  await chat.tell(user, room, describeStatus(t, isWorkspaceAdmin(user), outcome));
};
