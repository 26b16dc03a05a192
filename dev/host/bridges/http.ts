import type { IHttpResponse } from '@rocket.chat/apps-engine/definition/accessors';
import { HttpBridge } from '@rocket.chat/apps-engine/server/bridges/HttpBridge';
import type { IHttpBridgeRequestInfo } from '@rocket.chat/apps-engine/server/bridges/HttpBridge';
import { performHttpRequest } from '../http/rocketChatHttp';
import { base } from './loud';

/** Outgoing HTTP (needs `networking`), done the way Rocket.Chat's bridge does it (dev/host/http/rocketChatHttp.ts). */
export class HostHttpBridge extends base(HttpBridge) {
  readonly calls: Array<{ method: string; url: string; status?: number; ms: number }> = [];
  protected async call(info: IHttpBridgeRequestInfo): Promise<IHttpResponse> {
    const started = Date.now();
    const entry: { method: string; url: string; status?: number; ms: number } = {
      method: info.method,
      url: info.url,
      ms: 0,
    };
    this.calls.push(entry);
    try {
      const res = await performHttpRequest(info.method, info.url, info.request);
      entry.status = res.statusCode;
      return res;
    } finally {
      entry.ms = Date.now() - started;
    }
  }
}
