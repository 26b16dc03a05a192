/* eslint-disable @typescript-eslint/require-await -- in-memory implementations of the engine's async interfaces */
import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import { ThreadBridge } from '@rocket.chat/apps-engine/server/bridges/ThreadBridge';
import type { Workspace } from '../workspace';
import { base } from './loud';

/** IThreadRead: the thread's first message followed by its replies, oldest first. */
export class HostThreadBridge extends base(ThreadBridge) {
  constructor(private readonly ws: Workspace) {
    super();
  }
  protected async getById(threadId: string): Promise<IMessage[]> {
    const parent = this.ws.messages.find((m) => m.id === threadId);
    if (!parent) return [];
    const replies = this.ws.messages.filter((m) => m.threadId === threadId);
    return [parent, ...replies].map((m) => this.ws.toAppMessage(m));
  }
}
