import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { Chat } from '../chat/Chat';
import type { Accessors } from '../edge/Accessors';
import { languageFor } from '../i18n/translate';
import { PagePath } from './paths';
import { PageLinks } from './links';

/**
 * The link that opens `cid` in the browser page for `user`, in the user's language: the server's own address,
 * the CID and language in the query, the fresh capability in the fragment (browsers never send a fragment to the
 * server, so it is in no access log; the page hands it only to the block endpoint, in a header).
 */
export async function pageLinkFor(accessors: Accessors, user: IUser, cid: string): Promise<string> {
  const { read, persistence, appId } = accessors;
  const site = (await read.getEnvironmentReader().getServerSettings().getValueById('Site_Url')) as unknown;
  const base = (typeof site === 'string' ? site : '').replace(/\/+$/, '');
  const capability = await new PageLinks(persistence, read.getPersistenceReader()).issue(user.id, cid, Date.now());
  const query = new URLSearchParams({ cid, lang: await languageFor(user, read) });
  return `${base}/api/apps/public/${appId}/${PagePath.Page}?${query.toString()}#${capability}`;
}

/** Why the user is offered the page: they asked for it, or the file is more than chat delivery takes. */
export type PageOfferReason = 'asked' | 'too_big';

const OFFER_KEYS: Record<PageOfferReason, string> = { asked: 'page_offer_asked', too_big: 'page_offer_too_big' };

/** Tells `user` (only them) the link that opens `cid` in the browser. */
export async function offerPage(
  accessors: Accessors,
  user: IUser,
  room: IRoom,
  cid: string,
  t: (key: string, params?: Record<string, string | number>) => string,
  reason: PageOfferReason,
  params: Record<string, string | number> = {},
): Promise<void> {
  const url = await pageLinkFor(accessors, user, cid);
  await new Chat(accessors.read, accessors.modify).tell(user, room, t(OFFER_KEYS[reason], { ...params, url }));
}
