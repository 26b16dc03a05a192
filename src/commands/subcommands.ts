import { openGetForm, startGrantedRetrieval } from '../forms/getForm';
import { openPutForm } from '../forms/putForm';
import { openDirectoryPanel } from '../forms/directoryPanel';
import { formatCid, MAX_CID_CHARS, parseCid } from '../ipfs/cid';
import { offerPage } from '../page/offer';
import { CidTooLongError } from '../ipfs/errors';
import type { ResolvedFile } from '../sharing/access';
import { AmbiguousNameError, FileNotFoundError } from '../sharing/errors';
import { FILE_COMMANDS, tellChoices } from './fileCommands';
import { status } from './status';
import { withTrigger, type Subcommand } from './invocation';
import { formatBytes, formatDate, markdownLiteral } from '../ui/format';
import { archive, roomArchiveLines } from '../archive/archiveCommand';
import { startArchiveRetrieval } from '../archive/archiveRetrieval';

const put: Subcommand = (invocation) =>
  withTrigger(invocation, (triggerId) => openPutForm(invocation, { triggerId, threadId: invocation.threadId }));

/** `/ipfs get <CID | name | name@n>`: straight away for who holds the key, else the password modal. */
const get: Subcommand = async (invocation) => {
  const typed = invocation.args.join(' ').trim();
  const { user, files } = invocation;
  if (looksLikeCid(typed) && typed.length > MAX_CID_CHARS) {
    throw new CidTooLongError(MAX_CID_CHARS);
  }
  if (typed && looksLikeCid(typed) && (await startArchiveRetrieval(invocation, typed))) {
    return;
  }
  if (typed) {
    let file: ResolvedFile | undefined;
    try {
      file = await files.resolve(user.id, typed);
    } catch (error) {
      if (error instanceof AmbiguousNameError) {
        return tellChoices(invocation, error);
      }
      if (!(error instanceof FileNotFoundError && looksLikeCid(typed))) {
        throw error;
      }
      // a malformed CID: let the modal say what is wrong with it
    }
    if (file && (await startGrantedRetrieval(invocation, file.cid))) {
      return;
    }
    return withTrigger(invocation, (triggerId) => openGetForm(invocation, { triggerId, cid: file?.cid ?? typed }));
  }
  return withTrigger(invocation, (triggerId) => openGetForm(invocation, { triggerId }));
};

/** `/ipfs list`: the directory view, or its text when there is no interaction to open a view with. */
const list: Subcommand = async (invocation) => {
  const { user, room, t, chat } = invocation;
  // the room's archive, beside the user's own files
  const archived = await roomArchiveLines(invocation);
  if (archived.length > 0) {
    await chat.tell(user, room, archived.join('\n'));
  }
  if (invocation.triggerId) {
    return openDirectoryPanel(invocation, invocation.triggerId);
  }
  const files = await invocation.files.directory.filesOf(user.id);
  if (files.length === 0) {
    await chat.tell(user, room, t('list_empty'));
    return;
  }
  const lines = files.map(({ name, versions: [newest] }) =>
    t('list_line', {
      name: markdownLiteral(name),
      size: formatBytes(newest.size),
      date: formatDate(newest.storedAt),
      cid: newest.cid,
    }),
  );
  await chat.tell(user, room, [t('list_title', { count: files.length }), ...lines].join('\n'));
};

const help: Subcommand = async ({ user, room, t, chat }) => {
  await chat.tell(user, room, t('help_text'));
};

/** `/ipfs open <CID | name>`: a link that opens the file in the browser page (decrypted there, not here). */
const open: Subcommand = async (invocation) => {
  const typed = invocation.args.join(' ').trim();
  const { user, room, t, files } = invocation;
  let cid = typed;
  if (!looksLikeCid(typed)) {
    try {
      cid = (await files.resolve(user.id, typed)).cid;
    } catch (error) {
      if (error instanceof AmbiguousNameError) return tellChoices(invocation, error);
      throw error;
    }
  }
  await offerPage(invocation.accessors, user, room, formatCid(parseCid(cid)), t, 'asked');
};

/** Subcommands by name; anything else shows help. */
export const SUBCOMMANDS: Record<string, Subcommand> = {
  put,
  get,
  list,
  status,
  help,
  ...FILE_COMMANDS,
  archive,
  open,
};

export function subcommandFor(name: string | undefined): Subcommand {
  return SUBCOMMANDS[(name ?? '').toLowerCase()] ?? help;
}

/** Long base32/base58 words are CIDs the user meant, even malformed ones; anything else is a name. */
function looksLikeCid(text: string): boolean {
  return /^(Qm|b|z)[A-Za-z0-9]{20,}$/.test(text);
}
