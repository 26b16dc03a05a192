import type { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { App } from '@rocket.chat/apps-engine/definition/App';
import type { ISlashCommand, SlashCommandContext } from '@rocket.chat/apps-engine/definition/slashcommands';
import { Chat } from '../chat/Chat';
import { describeError } from '../ui/describeError';
import { logFailure } from '../errors';
import { translatorForUser } from '../i18n/translate';
import { INPUT_LIMITS, boundedText } from '../limits/input';
import { subcommandFor } from './subcommands';

/** `/ipfs <subcommand> [arguments]`. Never takes a password: the engine logs a command's arguments. */
export class IpfsCommand implements ISlashCommand {
  public command = 'ipfs';
  public i18nParamsExample = 'command_params_example';
  public i18nDescription = 'command_description';
  public providesPreview = false;

  constructor(private readonly app: App) {}

  public async executor(
    context: SlashCommandContext,
    read: IRead,
    modify: IModify,
    http: IHttp,
    persistence: IPersistence,
  ): Promise<void> {
    const user = context.getSender();
    const room = context.getRoom();
    const [name, ...args] = context.getArguments();
    const t = await translatorForUser(user, read);
    const chat = new Chat(read, modify);
    const accessors = { appId: this.app.getID(), logger: this.app.getLogger(), read, modify, http, persistence };
    try {
      // bounded before any subcommand parses a word of it
      boundedText(context.getArguments().join(' '), INPUT_LIMITS.commandLine);
      await subcommandFor(name)({
        accessors,
        user,
        room,
        args,
        threadId: context.getThreadId(),
        triggerId: context.getTriggerId(),
        t,
        chat,
      });
    } catch (error) {
      logFailure(this.app.getLogger(), `/ipfs ${name ?? ''} failed`, error);
      await chat.tell(user, room, t('command_failed', { reason: describeError(t, error) }));
    }
  }
}
