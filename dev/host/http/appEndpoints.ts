import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { NextFunction, Request, Response, Router } from 'express';
import type { RequestMethod } from '@rocket.chat/apps-engine/definition/accessors';
import type { IApiRequest } from '@rocket.chat/apps-engine/definition/api';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import type { AppManager } from '@rocket.chat/apps-engine/server/AppManager';
import type { AppApi } from '@rocket.chat/apps-engine/server/managers/AppApi';
import type { Workspace } from '../workspace';
import { clone } from '../workspace';

/**
 * Serves apps' REST endpoints over real HTTP the way Rocket.Chat does (each rule with its source in
 * docs/dev/HOST.md, "App HTTP endpoints"):
 * - apps/meteor/app/cors/server/cors.ts: `X-XSS-Protection`, `X-Content-Type-Options: nosniff`, `X-Frame-Options`
 *   (Iframe_Restrict_Access), and with `Enable_CSP` the Content-Security-Policy (no inline script);
 * - apps/meteor/app/apps/server/bridges/router.ts: `express.urlencoded({ extended: false })` and `express.json()`
 *   on both mounts, each with body-parser's default 100 kB limit; nothing else parses a body;
 * - apps/meteor/app/apps/server/bridges/api.ts: one express Router per app, `router.all(path)`, the
 *   authentication middleware (apps/meteor/app/api/server/middlewares/authentication.ts, headers only, no
 *   cookies), then `executeApi` and `res.set(headers); res.status(status); res.send(content)`: a Buffer goes out as
 *   bytes (`application/octet-stream` unless the app set a type), a string as `text/html`, an object as JSON.
 */
export class AppEndpointServer {
  private readonly routers = new Map<string, Router>();
  private server?: http.Server;
  /** Login tokens (`X-Auth-Token`) the workspace issued, by token. */
  private readonly tokens = new Map<string, string>();

  constructor(
    private readonly ws: Workspace,
    private readonly manager: () => AppManager,
  ) {}

  /** Registers one endpoint as Rocket.Chat's AppApisBridge.registerApi does. */
  register({ endpoint }: AppApi, appId: string): void {
    let router = this.routers.get(appId);
    if (!router) {
      router = express.Router();
      this.routers.set(appId, router);
    }
    let routePath = endpoint.path.trim();
    if (!routePath.startsWith('/')) routePath = `/${routePath}`;
    router.all(routePath, this.authenticate(!!endpoint.authRequired), (req: Request, res: Response) => {
      this.execute(appId, endpoint.path, req, res);
    });
  }

  unregister(appId: string): void {
    this.routers.delete(appId);
  }

  /** A login token for the user, as Rocket.Chat's login gives the client (sent as X-User-Id/X-Auth-Token). */
  loginToken(user: IUser): string {
    const token = `t${this.tokens.size}-${Math.random().toString(36).slice(2)}`;
    this.tokens.set(token, user.id);
    return token;
  }

  /** Starts listening on 127.0.0.1 (a free port); returns the base URL, e.g. `http://127.0.0.1:41234`. */
  async listen(): Promise<string> {
    if (!this.server) {
      const server = http.createServer(this.application());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      this.server = server;
    }
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    // Node 18.2+ (not in the pinned @types/node 16): drop keep-alive connections so close() returns
    (server as http.Server & { closeAllConnections(): void }).closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private application(): express.Express {
    const app = express();
    app.disable('x-powered-by');
    app.use((_req, res, next) => this.securityHeaders(res, next));
    for (const mount of ['/api/apps/private/:appId/:hash', '/api/apps/public/:appId']) {
      app.use(mount, express.urlencoded({ extended: false }), express.json());
    }
    app.use('/api/apps/private/:appId/:hash', (req: Request, res: Response) => {
      (req as Request & { privateHash?: string }).privateHash = req.params.hash;
      this.route(req, res);
    });
    app.use('/api/apps/public/:appId', (req: Request, res: Response) => this.route(req, res));
    return app;
  }

  private route(req: Request, res: Response): void {
    const router = this.routers.get(req.params.appId);
    if (router) router(req, res, () => res.sendStatus(404));
    else res.sendStatus(404);
  }

  private securityHeaders(res: Response, next: NextFunction): void {
    const setting = (id: string) => this.ws.serverSettings.get(id);
    res.setHeader('X-XSS-Protection', '1');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (setting('Iframe_Restrict_Access')) res.setHeader('X-Frame-Options', String(setting('Iframe_X_Frame_Options')));
    if (setting('Enable_CSP')) res.setHeader('Content-Security-Policy', contentSecurityPolicy(setting));
    next();
  }

  private authenticate(rejectUnauthorized: boolean) {
    return (req: Request, res: Response, next: NextFunction): void => {
      const userId = req.headers['x-user-id'];
      const token = req.headers['x-auth-token'];
      const user =
        typeof userId === 'string' && typeof token === 'string' && this.tokens.get(token) === userId
          ? this.ws.users.get(userId)
          : undefined;
      if (rejectUnauthorized && !user) {
        res.status(401).send('Unauthorized');
        return;
      }
      (req as Request & { appUser?: IUser }).appUser = user;
      next();
    };
  }

  private execute(appId: string, path: string, req: Request, res: Response): void {
    const extra = req as Request & { privateHash?: string; appUser?: IUser };
    const request: IApiRequest = {
      method: req.method.toLowerCase() as RequestMethod,
      headers: req.headers as Record<string, string>,
      query: (req.query as Record<string, string>) || {},
      params: req.params || {},
      content: req.body as unknown,
      privateHash: extra.privateHash,
      user: extra.appUser && clone(extra.appUser),
    };
    this.manager()
      .getApiManager()
      .executeApi(appId, path, request)
      .then(({ status, headers = {}, content }) => {
        res.set(headers);
        res.status(status);
        res.send(content);
      })
      .catch((reason: Error) => {
        res.status(500).send(reason.message);
      });
  }
}

/** Rocket.Chat's CSP (cors.ts) with no CDN prefixes, analytics or OAuth providers configured. */
function contentSecurityPolicy(setting: (id: string) => unknown): string {
  const domains = setting('Extra_CSP_Domains');
  const extra = (typeof domains === 'string' ? domains : '')
    .split(/[ \n,]/g)
    .filter((e) => e.trim())
    .join(' ');
  const inlineHashes = "'sha256-jqxtvDkBbRAl9Hpqv68WdNOieepg8tJSYu1xIy7zT34='"; // window.close() for the CAS popup
  return [
    "default-src 'self' ",
    'connect-src *',
    "font-src 'self'  data:",
    'frame-src *',
    'img-src * data: blob:',
    'media-src * data:',
    `script-src 'self' 'unsafe-eval' ${inlineHashes}  ${extra}`,
    "style-src 'self' 'unsafe-inline' ",
  ].join('; ');
}
