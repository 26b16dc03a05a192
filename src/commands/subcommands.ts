import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import type { Chat } from '../chat/Chat';
import type { Accessors } from '../handlers/Accessors';
import { describeError } from '../handlers/describeError';
import { openGetModal } from '../handlers/GetFlow';
import { openPutModal } from '../handlers/PutFlow';
import type { Translate } from '../i18n/translate';
import { KuboRpcClient } from '../ipfs/KuboRpcClient';
import { readConfig } from '../settings/config';
import { StoredFileStorage } from '../storage/StoredFileStorage';
import { formatBytes, formatDate } from '../ui/format';

/** What a subcommand gets: who ran it where, its arguments, and how to answer. */
export interface Invocation {
  readonly accessors: Accessors;
  readonly user: IUser;
  readonly room: IRoom;
  readonly args: string[];
  readonly threadId?: string;
  readonly triggerId?: string;
  readonly t: Translate;
  readonly chat: Chat;
}

export type Subcommand = (invocation: Invocation) => Promise<void>;

/** Modals need the trigger of the user's own interaction; a command run from elsewhere has none. */
async function withTrigger(invocation: Invocation, open: (triggerId: string) => Promise<void>): Promise<void> {
  if (!invocation.triggerId) {
    await invocation.chat.tell(invocation.user, invocation.room, invocation.t('error_no_trigger'));
    return;
  }
  await open(invocation.triggerId);
}

const put: Subcommand = (invocation) =>
  withTrigger(invocation, (triggerId) =>
    openPutModal(invocation.accessors, { ...invocation, triggerId, threadId: invocation.threadId }),
  );

const get: Subcommand = (invocation) =>
  withTrigger(invocation, (triggerId) =>
    openGetModal(invocation.accessors, { ...invocation, triggerId, cid: invocation.args[0] }),
  );

const list: Subcommand = async ({ accessors, user, room, t, chat }) => {
  const storage = new StoredFileStorage(accessors.persistence, accessors.read.getPersistenceReader());
  const files = await storage.listFor(user.id);
  if (files.length === 0) {
    await chat.tell(user, room, t('list_empty'));
    return;
  }
  const lines = files.map((file) =>
    t('list_line', { name: file.name, size: formatBytes(file.size), date: formatDate(file.storedAt), cid: file.cid }),
  );
  await chat.tell(user, room, [t('list_title', { count: files.length }), ...lines].join('\n'));
};

const status: Subcommand = async ({ accessors, user, room, t, chat }) => {
  let apiUrl = '?';
  try {
    const config = await readConfig(accessors.read);
    apiUrl = config.provider.apiUrl;
    const started = Date.now();
    const { version } = await new KuboRpcClient(accessors.http, config.provider).version();
    const latency = Date.now() - started;
    await chat.tell(
      user,
      room,
      t('status_ok', { preset: t(`ipfs_provider_${config.preset}`), url: apiUrl, version, latency }),
    );
  } catch (error) {
    await chat.tell(user, room, t('status_failed', { url: apiUrl, reason: describeError(t, error) }));
  }
};

const help: Subcommand = async ({ user, room, t, chat }) => {
  await chat.tell(user, room, t('help_text'));
};

/** Subcommands by name; anything else shows help. */
export const SUBCOMMANDS: Record<string, Subcommand> = { put, get, list, status, help };

export function subcommandFor(name: string | undefined): Subcommand {
  return SUBCOMMANDS[(name ?? '').toLowerCase()] ?? help;
}
