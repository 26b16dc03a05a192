/* eslint-disable @typescript-eslint/require-await -- in-memory implementations of the engine's async interfaces */
import type { ISlashCommand } from '@rocket.chat/apps-engine/definition/slashcommands';
import { CommandBridge } from '@rocket.chat/apps-engine/server/bridges/CommandBridge';
import { base } from './loud';

/** The workspace's slash command registry (Rocket.Chat's `slashCommands.commands`), lower-cased like there. */
export class HostCommandBridge extends base(CommandBridge) {
  readonly commands = new Map<string, { appId: string; command: ISlashCommand }>();
  readonly disabled = new Map<string, { appId: string; command: ISlashCommand }>();
  protected async doesCommandExist(command: string): Promise<boolean> {
    const cmd = command.toLowerCase();
    return this.commands.has(cmd) || this.disabled.has(cmd);
  }
  protected async enableCommand(command: string): Promise<void> {
    const cmd = command.toLowerCase();
    const entry = this.disabled.get(cmd);
    if (!entry) throw new Error(`The command is not currently disabled: "${cmd}"`);
    this.commands.set(cmd, entry);
    this.disabled.delete(cmd);
  }
  protected async disableCommand(command: string): Promise<void> {
    const cmd = command.toLowerCase();
    if (this.disabled.has(cmd)) return;
    const entry = this.commands.get(cmd);
    if (!entry) throw new Error(`Command does not exist in the system currently: "${cmd}"`);
    this.disabled.set(cmd, entry);
    this.commands.delete(cmd);
  }
  protected async modifyCommand(command: ISlashCommand, appId: string): Promise<void> {
    const cmd = command.command.toLowerCase();
    if (!this.commands.has(cmd))
      throw new Error(`Command does not exist in the system currently (or it is disabled): "${cmd}"`);
    this.commands.set(cmd, { appId, command });
  }
  protected async registerCommand(command: ISlashCommand, appId: string): Promise<void> {
    if (typeof command?.command !== 'string' || typeof command.providesPreview !== 'boolean') {
      throw new Error('Invalid Slash Command parameter provided, it must be a valid ISlashCommand object.');
    }
    this.commands.set(command.command.toLowerCase(), { appId, command });
  }
  protected async unregisterCommand(command: string): Promise<void> {
    const cmd = command.toLowerCase();
    this.disabled.delete(cmd);
    this.commands.delete(cmd);
  }
}
