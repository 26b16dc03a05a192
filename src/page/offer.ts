import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { Chat } from '../chat/Chat';
import type { Accessors } from '../edge/Accessors';
import { languageFor } from '../i18n/translate';
import { PagePath } from './paths';
import { keyRightOf } from './keyRight';
import { PageLinks } from './links';

/**
 * The link that opens `cid` in the browser page for `user`, in the user's language: the server's own address,
 * the CID and language in the query, the fresh capability in the fragment (browsers never send a fragment to the
 * server, so it is in no access log; the page hands it only to the app's endpoints, in a header). With `withKey`
 * the capability may also fetch the file key once, and `key=1` tells the page to offer that (a hint only: the
 * key endpoint trusts the capability's record, never the query).
 */
export async function pageLinkFor(accessors: Accessors, user: IUser, cid: string, withKey = false): Promise<string> {
  const { read, persistence, appId } = accessors;
  const site = (await read.getEnvironmentReader().getServerSettings().getValueById('Site_Url')) as unknown;
  const base = (typeof site === 'string' ? site : '').replace(/\/+$/, '');
  const links = new PageLinks(persistence, read.getPersistenceReader());
  const capability = await links.issue(user.id, cid, Date.now(), withKey);
  const query = new URLSearchParams({ cid, lang: await languageFor(user, read), ...(withKey && { key: '1' }) });
  return `${base}/api/apps/public/${appId}/${PagePath.Page}?${query.toString()}#${capability}`;
}

/** Why the user is offered the page: they asked for it, or the file is more than chat delivery takes. */
export type PageOfferReason = 'asked' | 'too_big';

const OFFER_KEYS: Record<PageOfferReason, string> = { asked: 'page_offer_asked', too_big: 'page_offer_too_big' };
const KEY_OFFER_KEYS: Record<PageOfferReason, string> = {
  asked: 'page_offer_asked_key',
  too_big: 'page_offer_too_big_key',
};

/**
 * Tells `user` (only them) the link that opens `cid` in the browser: one that also offers the file key when they
 * may open the file without its password now (owner, live share, member of its archiving room), else a link
 * that asks for the password.
 */
export async function offerPage(
  accessors: Accessors,
  user: IUser,
  room: IRoom,
  cid: string,
  t: (key: string, params?: Record<string, string | number>) => string,
  reason: PageOfferReason,
  params: Record<string, string | number> = {},
): Promise<void> {
  const right = await keyRightOf(accessors.read, accessors.persistence, user, cid, Date.now());
  const url = await pageLinkFor(accessors, user, cid, right !== undefined);
  const text = t((right ? KEY_OFFER_KEYS : OFFER_KEYS)[reason], { ...params, url });
  await new Chat(accessors.read, accessors.modify).tell(user, room, text);
}
