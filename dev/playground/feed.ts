import fs from 'node:fs';
import path from 'node:path';
import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import type { WorkspaceHost } from '../host';
import type { StoredMessage } from '../host/workspace';
import { formatMessage, formatSize, roomLabel } from './render';

/** A file the app posted, written to the downloads folder. */
export interface SavedFile {
  readonly path: string;
  readonly name: string;
  readonly size: number;
  readonly messageId: string;
  readonly roomId: string;
}

/**
 * Watches the workspace and reports what a user's client would show as it happens: new messages in any room,
 * ephemeral messages (to whom), and files the app's bot posted, which it writes to the downloads folder.
 */
export class Feed {
  /** Each message reported so far, by id, with the text it had then (to notice edits). */
  private readonly seenTexts = new Map<string, string | undefined>();
  private readonly seenEphemeral = new Map<string, number>();
  private readonly history: string[] = [];
  private cursor = 0;
  private timer?: NodeJS.Timeout;
  readonly saved: SavedFile[] = [];

  constructor(
    private readonly host: WorkspaceHost,
    private readonly downloads: string,
    private readonly print: (line: string) => void,
  ) {}

  /** Polls every `ms` until stop(). */
  start(ms = 100): void {
    this.timer = setInterval(() => this.poll(), ms);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Reports everything new since the last call. */
  poll(): void {
    const ws = this.host.ws;
    for (const m of ws.messages) {
      if (!this.seenTexts.has(m.id)) this.onMessage(m);
      else if (this.seenTexts.get(m.id) !== m.text) this.onEdit(m);
      this.seenTexts.set(m.id, m.text);
    }
    for (const user of ws.users.values()) {
      const ephemeral: IMessage[] = ws.screen(user.id).ephemeral;
      const seen = this.seenEphemeral.get(user.id) ?? 0;
      for (const e of ephemeral.slice(seen)) {
        this.emit(`  (only ${user.username}) ${(e.text ?? '').replace(/\n/g, '\n      ')}`);
      }
      this.seenEphemeral.set(user.id, ephemeral.length);
    }
  }

  private onMessage(m: StoredMessage): void {
    const ws = this.host.ws;
    this.emit(`  ${formatMessage(ws, m, { withRoom: true })}`);
    const sender = ws.users.get(m.senderId);
    if (!sender?.appId) return;
    for (const f of m.files ?? (m.file ? [m.file] : [])) {
      const upload = ws.uploads.get(f._id);
      if (!upload) continue;
      const target = freeName(this.downloads, upload.name);
      fs.writeFileSync(target, upload.bytes);
      this.saved.push({ path: target, name: upload.name, size: upload.size, messageId: m.id, roomId: m.roomId });
      this.emit(`  ⬇ saved ${upload.name} (${formatSize(upload.size)}) → ${target}`);
    }
  }

  /** A message edited in place (e.g. a progress message): its new text. */
  private onEdit(m: StoredMessage): void {
    const where = roomLabel(this.host.ws.rooms.get(m.roomId));
    this.emit(`  ✎ ${where} ‹${m.id}› ${(m.text ?? '').replace(/\n/g, '\n      ')}`);
  }

  private emit(line: string): void {
    this.history.push(line);
    this.print(line);
  }

  /**
   * Resolves with the first line reported since the previous wait that contains `text`, waiting up to
   * `timeoutMs`; rejects after that.
   */
  async waitForText(text: string, timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.poll();
      const index = this.history.findIndex((line, i) => i >= this.cursor && line.includes(text));
      if (index >= 0) {
        this.cursor = index + 1;
        return this.history[index];
      }
      if (Date.now() > deadline) throw new Error(`nothing containing "${text}" within ${timeoutMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** `name`, or `name (1).ext`, `name (2).ext`… when a file of that name is already there. */
function freeName(dir: string, name: string): string {
  const safe = path.basename(name).replace(/^\.+/, '_') || 'file';
  const ext = path.extname(safe);
  const stem = safe.slice(0, safe.length - ext.length);
  let candidate = path.join(dir, safe);
  for (let i = 1; fs.existsSync(candidate); i++) candidate = path.join(dir, `${stem} (${i})${ext}`);
  return candidate;
}
