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
import { DagMembership, MAX_PATH_NODES } from './dagMembership';
import { fileKeyByRight } from './keyRight';
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

const json = (status: HttpStatusCode, body: object): IApiResponse => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  content: JSON.stringify(body),
});

/** The interior nodes the page walked from the root to a block's parent, each a CID; undefined if malformed. */
function pathOf(value: unknown): string[] | undefined {
  if (value === undefined || value === '') return [];
  if (typeof value !== 'string') return undefined;
  const nodes = value.split(',').map(cidOf);
  return nodes.length <= MAX_PATH_NODES && nodes.every((n) => n !== undefined) ? nodes : undefined;
}

/** The page: static but for the CID and the language the link names; the capability stays in the fragment. */
async function page(request: IApiRequest, endpoint: IApiEndpointInfo, read: IRead): Promise<IApiResponse> {
  const cid = cidOf(request.query.cid);
  if (!cid) return text(HttpStatusCode.BAD_REQUEST, 'no valid CID in the link');
  const language: Language = LANGUAGES.find((l) => l === request.query.lang) ?? 'en';
  const gateway: unknown = await read.getEnvironmentReader().getSettings().getValueById(SettingId.PageGatewayUrl);
  const gatewayUrl = typeof gateway === 'string' && /^https?:\/\/[^/]+/i.test(gateway.trim()) ? gateway.trim() : '';
  const blockUrl = `${endpoint.basePath}/${PagePath.Block}`;
  // only a hint to show the key button: the key endpoint decides from the capability's record alone
  const keyUrl = request.query.key === '1' ? `${endpoint.basePath}/${PagePath.Key}` : '';
  return {
    status: HttpStatusCode.OK,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
    content: renderPage(language, translatorFor(language), { cid, blockUrl, gatewayUrl, keyUrl }),
  };
}

/**
 * One raw block of the linked object, fetched through the app's provider client (which checks it against its
 * CID; the page checks it again). Needs the link's capability for the object's root CID, and the block must be
 * of that root's DAG: the page names the interior nodes it walked to it (`path`), the app checks every link.
 */
async function block(request: IApiRequest, read: IRead, http: IHttp, persistence: IPersistence): Promise<IApiResponse> {
  const root = cidOf(request.query.root);
  const cid = cidOf(request.query.cid);
  const path = pathOf(request.query.path);
  if (!root || !cid || !path) return text(HttpStatusCode.BAD_REQUEST, 'root, cid and path must be CIDs');
  const links = new PageLinks(persistence, read.getPersistenceReader());
  if (!(await links.check(request.headers['x-page-capability'], root, Date.now()))) {
    return text(HttpStatusCode.FORBIDDEN, 'this link has expired or does not open this file');
  }
  try {
    const client = new KuboRpcClient(http, (await readConfig(read)).provider);
    if (!(await new DagMembership(client).contains(root, path, cid))) {
      return text(HttpStatusCode.FORBIDDEN, 'this block is not part of the linked file');
    }
    const bytes = await client.blockGet(cid);
    return {
      status: HttpStatusCode.OK,
      // not cached: the browser would serve a cached block again without asking, after the link expired too
      headers: { 'content-type': 'application/vnd.ipld.raw', 'cache-control': 'no-store' },
      content: bytesForEngine(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)),
    };
  } catch (error) {
    if (error instanceof ContentNotFoundError) return text(HttpStatusCode.NOT_FOUND, 'block not found');
    return text(HttpStatusCode.BAD_GATEWAY, 'the IPFS provider did not deliver the block');
  }
}

/**
 * The file key, for a key-bearing link whose one key fetch is unspent and whose user may open the file without
 * the password at this moment (owner, live share, member of the archiving room: re-checked here, from the
 * records, whatever was true when the link was made). The server unwraps the key to send it: see docs/SECURITY.md.
 */
async function key(request: IApiRequest, read: IRead, http: IHttp, persistence: IPersistence): Promise<IApiResponse> {
  const cid = cidOf(request.query.cid);
  if (!cid) return text(HttpStatusCode.BAD_REQUEST, 'cid must be a CID');
  const now = Date.now();
  const taken = await new PageLinks(persistence, read.getPersistenceReader()).takeKey(
    request.headers['x-page-capability'],
    cid,
    now,
  );
  if (typeof taken === 'string') return json(HttpStatusCode.FORBIDDEN, { refused: taken });
  const user = await read.getUserReader().getById(taken.userId);
  let fileKey: Uint8Array | undefined;
  try {
    fileKey = user ? await fileKeyByRight(read, http, persistence, user, cid, now) : undefined;
  } catch {
    return text(HttpStatusCode.BAD_GATEWAY, 'the file key could not be opened');
  }
  if (!fileKey) return json(HttpStatusCode.FORBIDDEN, { refused: 'no_right' });
  const encoded = Buffer.from(fileKey).toString('base64');
  fileKey.fill(0);
  return json(HttpStatusCode.OK, { fileKey: encoded });
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
    {
      path: PagePath.Key,
      post: (request, _endpoint, read, _modify: IModify, http, persistence) => key(request, read, http, persistence),
    },
  ];
}
