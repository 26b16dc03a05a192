import type { IHttpResponse } from '@rocket.chat/apps-engine/definition/accessors';
import { HttpBridge } from '@rocket.chat/apps-engine/server/bridges/HttpBridge';
import type { IHttpBridgeRequestInfo } from '@rocket.chat/apps-engine/server/bridges/HttpBridge';
import { performHttpRequest } from '../http/rocketChatHttp';
import { assertSsrfAllowed } from '../http/ssrf';
import type { Workspace } from '../workspace';
import { base } from './loud';

/** One outgoing call as the host recorded it; `refused` is set when the SSRF guard stopped it. */
export interface HttpCall {
  method: string;
  url: string;
  status?: number;
  ms: number;
  refused?: string;
}

/**
 * Outgoing HTTP (needs `networking`), done the way Rocket.Chat's bridge does it (dev/host/http/rocketChatHttp.ts),
 * behind the SSRF guard of apps/meteor/app/apps/server/bridges/http.ts + @rocket.chat/server-fetch with the
 * workspace's `SSRF_Allowlist` (see HostRules.ssrf).
 */
export class HostHttpBridge extends base(HttpBridge) {
  readonly calls: HttpCall[] = [];
  constructor(private readonly ws: Workspace) {
    super();
  }
  protected async call(info: IHttpBridgeRequestInfo): Promise<IHttpResponse> {
    const started = Date.now();
    const entry: HttpCall = { method: info.method, url: info.url, ms: 0 };
    this.calls.push(entry);
    const mode = this.ws.rules.ssrf;
    const guarded = mode === 'always' || (mode === 'app-opt-in' && info.request.ssrfValidation === true);
    const checkUrl = guarded
      ? (url: string) => assertSsrfAllowed(url, this.ws.serverSettings.get('SSRF_Allowlist'))
      : undefined;
    try {
      const res = await performHttpRequest(info.method, info.url, info.request, checkUrl);
      entry.status = res.statusCode;
      return res;
    } catch (e) {
      if (e instanceof Error && e.message === 'error-ssrf-validation-failed') entry.refused = e.message;
      throw e;
    } finally {
      entry.ms = Date.now() - started;
    }
  }
}
