import {
  type IHttp,
  type ILogger,
  type IModify,
  type IPersistence,
  type IRead,
} from '@rocket.chat/apps-engine/definition/accessors';

/** Everything a handler may touch during one call into the app. */
export interface Accessors {
  readonly appId: string;
  readonly logger: ILogger;
  readonly read: IRead;
  readonly modify: IModify;
  readonly http: IHttp;
  readonly persistence: IPersistence;
}
