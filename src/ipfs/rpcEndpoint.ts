import type { IHttp, IHttpRequest, IHttpResponse } from '@rocket.chat/apps-engine/definition/accessors';
import { ProviderUnreachableError } from './errors';
import type { ProviderConfig } from './KuboRpcClient';
import { errorFromResponse, errorFromThrow, isSuccess } from './rpcResponse';

/** One Kubo RPC endpoint: its `/api/v0` base, its auth and its deadline, applied to every call. */
export class RpcEndpoint {
  private readonly base: string;

  constructor(
    private readonly http: IHttp,
    private readonly config: ProviderConfig,
  ) {
    const trimmed = config.apiUrl.trim().replace(/\/+$/, '');
    this.base = /\/api\/v0$/.test(trimmed) ? trimmed : `${trimmed}/api/v0`;
  }

  /** POSTs one RPC call with auth and timeout; a non-2xx answer or a throw becomes a typed error. */
  async post(
    command: string,
    query: Record<string, string>,
    request: IHttpRequest = {},
    graceMs = 0,
    specific?: (r: IHttpResponse) => Error | undefined,
  ): Promise<IHttpResponse> {
    const qs = Object.entries(query)
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
      .join('&');
    const url = `${this.base}/${command}${qs ? `?${qs}` : ''}`;
    const headers = { ...(request.headers ?? {}) };
    const auth = this.config.auth;
    const options: IHttpRequest = { ...request, headers, timeout: this.config.timeoutMs + graceMs };
    if (auth.kind === 'basic') options.auth = `${auth.username}:${auth.password}`;
    if (auth.kind === 'bearer') headers.Authorization = `Bearer ${auth.token}`;

    let response: IHttpResponse | undefined;
    try {
      response = await this.http.post(url, options);
    } catch (err) {
      throw errorFromThrow(err, this.base);
    }
    // Without the networking permission the engine answers nothing instead of throwing.
    if (!response) throw new ProviderUnreachableError('No HTTP response (is the networking permission granted?)');
    if (isSuccess(response)) return response;
    throw specific?.(response) ?? errorFromResponse(response);
  }
}
