import type { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { HttpStatusCode } from '@rocket.chat/apps-engine/definition/accessors';
import type {
  IApiEndpoint,
  IApiEndpointInfo,
  IApiRequest,
  IApiResponse,
} from '@rocket.chat/apps-engine/definition/api';
import pageScript from 'page-script:bundle';
import { bytesForEngine } from '../engine/bytesForEngine';
import { LANGUAGES, translatorFor, type Language } from '../i18n/translate';
import { formatCid, parseCid } from '../ipfs/cid';
import { ContentNotFoundError } from '../ipfs/errors';
import { KuboRpcClient } from '../ipfs/KuboRpcClient';
import { readConfig } from '../settings/config';
import { SettingId } from '../settings/settings';
import { PageLinks } from './links';
import { renderPage } from './pageHtml';
import { PagePath } from './paths';

const text = (status: HttpStatusCode, message: string): IApiResponse => ({
  status,
  headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  content: message,
});

/** A valid CID in its canonical text, or undefined. */
function cidOf(value: unknown): string | undefined {
  try {
    return typeof value === 'string' ? formatCid(parseCid(value)) : undefined;
  } catch {
    return undefined;
  }
}

/** The page: static but for the CID and the language the link names; the capability stays in the fragment. */
async function page(request: IApiRequest, endpoint: IApiEndpointInfo, read: IRead): Promise<IApiResponse> {
  const cid = cidOf(request.query.cid);
  if (!cid) return text(HttpStatusCode.BAD_REQUEST, 'no valid CID in the link');
  const language: Language = LANGUAGES.find((l) => l === request.query.lang) ?? 'en';
  const gateway: unknown = await read.getEnvironmentReader().getSettings().getValueById(SettingId.PageGatewayUrl);
  const gatewayUrl = typeof gateway === 'string' && /^https?:\/\/[^/]+/i.test(gateway.trim()) ? gateway.trim() : '';
  const blockUrl = `${endpoint.basePath}/${PagePath.Block}`;
  return {
    status: HttpStatusCode.OK,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
    content: renderPage(language, translatorFor(language), { cid, blockUrl, gatewayUrl }),
  };
}

/**
 * One raw block of the linked object, fetched through the app's provider client (which checks it against its
 * CID; the page checks it again). Needs the link's capability for the object's root CID.
 */
async function block(request: IApiRequest, read: IRead, http: IHttp, persistence: IPersistence): Promise<IApiResponse> {
  const root = cidOf(request.query.root);
  const cid = cidOf(request.query.cid);
  if (!root || !cid) return text(HttpStatusCode.BAD_REQUEST, 'root and cid must be CIDs');
  const links = new PageLinks(persistence, read.getPersistenceReader());
  if (!(await links.check(request.headers['x-page-capability'], root, Date.now()))) {
    return text(HttpStatusCode.FORBIDDEN, 'this link has expired or does not open this file');
  }
  try {
    const bytes = await new KuboRpcClient(http, (await readConfig(read)).provider).blockGet(cid);
    return {
      status: HttpStatusCode.OK,
      headers: { 'content-type': 'application/vnd.ipld.raw', 'cache-control': 'private, max-age=3600' },
      content: bytesForEngine(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)),
    };
  } catch (error) {
    if (error instanceof ContentNotFoundError) return text(HttpStatusCode.NOT_FOUND, 'block not found');
    return text(HttpStatusCode.BAD_GATEWAY, 'the IPFS provider did not deliver the block');
  }
}

/** The endpoints of the browser page (public: the page is opened by a link, which carries its own capability). */
export function pageEndpoints(): IApiEndpoint[] {
  return [
    { path: PagePath.Page, get: (request, endpoint, read) => page(request, endpoint, read) },
    {
      path: PagePath.Script,
      get: () =>
        Promise.resolve({
          status: HttpStatusCode.OK,
          headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' },
          content: pageScript,
        }),
    },
    {
      path: PagePath.Block,
      get: (request, _endpoint, read, _modify: IModify, http, persistence) => block(request, read, http, persistence),
    },
  ];
}
