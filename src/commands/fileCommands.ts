import { openRemoveForm } from '../forms/removeForm';
import { openRevokeForm } from '../forms/revokeForm';
import { shareAndTell, unshareAndTell } from '../forms/shareForm';
import { UsageError, type AmbiguousNameError } from '../sharing/errors';
import { Usernames } from '../sharing/people';
import { formatBytes, formatDate, markdownLiteral } from '../ui/format';
import { sentenceText } from '../ui/describeError';
import { withTrigger, type Invocation, type Subcommand } from './invocation';

/** `<file words…> @user [duration]`: the file may contain spaces, the person starts with @. */
function fileAndPerson(args: string[], usageKey: string): { file: string; username: string; rest: string[] } {
  const at = args.findIndex((arg) => arg.startsWith('@'));
  const file = args.slice(0, Math.max(at, 0)).join(' ').trim();
  if (at < 1 || !file) {
    throw new UsageError(usageKey);
  }
  return { file, username: args[at], rest: args.slice(at + 1) };
}

function fileArgument(args: string[], usageKey: string): string {
  const file = args.join(' ').trim();
  if (!file) {
    throw new UsageError(usageKey);
  }
  return file;
}

const share: Subcommand = async (invocation) => {
  const { file, username, rest } = fileAndPerson(invocation.args, 'usage_share');
  if (rest.length > 1) {
    throw new UsageError('usage_share');
  }
  await shareAndTell(invocation, { file, recipientUsername: username, duration: rest[0] });
};

const unshare: Subcommand = async (invocation) => {
  const { file, username, rest } = fileAndPerson(invocation.args, 'usage_unshare');
  if (rest.length > 0) {
    throw new UsageError('usage_unshare');
  }
  await unshareAndTell(invocation, { file, recipientUsername: username });
};

const history: Subcommand = async ({ user, room, args, t, chat, files }) => {
  const name = fileArgument(args, 'usage_history');
  const versions = await files.directory.versionsOf(user.id, name);
  if (versions.length === 0) {
    await chat.tell(user, room, t('error_file_not_found', { name: markdownLiteral(name) }));
    return;
  }
  const lines = versions.map((entry) =>
    t('history_line', {
      version: entry.version,
      size: formatBytes(entry.size),
      date: formatDate(entry.storedAt),
      cid: entry.cid,
    }),
  );
  await chat.tell(
    user,
    room,
    [t('history_title', { name: markdownLiteral(versions[0].name), count: versions.length }), ...lines].join('\n'),
  );
};

const rm: Subcommand = (invocation: Invocation) => {
  const file = fileArgument(invocation.args, 'usage_rm');
  return withTrigger(invocation, (triggerId) => openRemoveForm(invocation, { triggerId, file }));
};

const revoke: Subcommand = (invocation: Invocation) => {
  const file = fileArgument(invocation.args, 'usage_revoke');
  return withTrigger(invocation, (triggerId) => openRevokeForm(invocation, { triggerId, file }));
};

/** Tells the user which files a name could mean, each with its owner, version and the command that picks it. */
export async function tellChoices(invocation: Invocation, error: AmbiguousNameError): Promise<void> {
  const { accessors, user, room, t, chat } = invocation;
  const usernames = new Usernames(accessors.read);
  const lines = [sentenceText(t, { key: 'get_ambiguous_title', params: { name: error.params.name } })];
  for (const choice of error.choices) {
    const owner = choice.ownerId ? await usernames.of(choice.ownerId) : '?';
    const version = choice.version ? `v${choice.version}` : '–';
    lines.push(t('get_ambiguous_choice', { owner, version, cid: choice.cid }));
  }
  await chat.tell(user, room, lines.join('\n'));
}

/** The subcommands about stored files: sharing, versions, removal. */
export const FILE_COMMANDS: Record<string, Subcommand> = { share, unshare, history, rm, revoke };
