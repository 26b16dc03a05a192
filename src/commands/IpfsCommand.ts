import type { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { App } from '@rocket.chat/apps-engine/definition/App';
import type { ISlashCommand, SlashCommandContext } from '@rocket.chat/apps-engine/definition/slashcommands';
import { inCheckedRoom, startCall } from '../edge/Call';
import { describeError } from '../ui/describeError';
import { logFailure } from '../errors';
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
    const accessors = { appId: this.app.getID(), logger: this.app.getLogger(), read, modify, http, persistence };
    // the room Rocket.Chat checked before it ran the command (commands.run → canAccessRoomIdAsync)
    const call = inCheckedRoom(await startCall(accessors, user), context.getRoom());
    const [name, ...args] = context.getArguments();
    try {
      // bounded before any subcommand parses a word of it
      boundedText(context.getArguments().join(' '), INPUT_LIMITS.commandLine);
      await subcommandFor(name)({ ...call, args, threadId: context.getThreadId(), triggerId: context.getTriggerId() });
    } catch (error) {
      logFailure(this.app.getLogger(), `/ipfs ${name ?? ''} failed`, error);
      await call.chat.tell(user, call.room, call.t('command_failed', { reason: describeError(call.t, error) }));
    }
  }
}
