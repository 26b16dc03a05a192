import readline from 'node:readline';

/**
 * Lines from stdin, one at a time, for a terminal or a pipe alike. Piped input may arrive (and end) long before
 * the playground asks for it, so lines are queued; `next` returns undefined once the input ended.
 * Output printed while a prompt is shown keeps the prompt and what was typed so far below it.
 */
export class LineInput {
  private readonly rl: readline.Interface;
  private readonly queue: string[] = [];
  private waiter?: (line: string | undefined) => void;
  private ended = false;
  private prompting = false;
  readonly tty: boolean;

  constructor(
    input: NodeJS.ReadableStream = process.stdin,
    private readonly output: NodeJS.WritableStream & { isTTY?: boolean } = process.stdout,
  ) {
    this.tty = Boolean((input as { isTTY?: boolean }).isTTY && output.isTTY);
    this.rl = readline.createInterface({ input, output: this.tty ? output : undefined, terminal: this.tty });
    this.rl.on('line', (line) => this.push(line));
    this.rl.on('close', () => {
      this.ended = true;
      this.deliver(undefined);
    });
  }

  /** Called on Ctrl-C at a terminal prompt (readline swallows the signal there). */
  onInterrupt(handler: () => void): void {
    this.rl.on('SIGINT', handler);
  }

  private push(line: string): void {
    if (this.waiter) this.deliver(line);
    else this.queue.push(line);
  }

  private deliver(line: string | undefined): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    this.prompting = false;
    waiter?.(line);
  }

  /** Shows `prompt` and resolves with the next line (trimmed of the line break), or undefined at end of input. */
  ask(prompt: string): Promise<string | undefined> {
    const queued = this.queue.shift();
    if (queued !== undefined) {
      this.echo(prompt, queued);
      return Promise.resolve(queued);
    }
    if (this.ended) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.waiter = (line) => {
        if (line !== undefined) this.echo(prompt, line, true);
        resolve(line);
      };
      if (this.tty) {
        this.prompting = true;
        this.rl.setPrompt(prompt);
        this.rl.prompt();
      }
    });
  }

  /** A piped answer is invisible: print it after its prompt so the transcript reads like a session. */
  private echo(prompt: string, line: string, typed = false): void {
    if (!this.tty) this.output.write(`${prompt}${line}\n`);
    else if (!typed) this.output.write(`${prompt}${line}\n`);
  }

  /** Prints a line without breaking the prompt the user is typing at. */
  print(text: string): void {
    if (this.tty && this.prompting) {
      readline.clearLine(this.output, 0);
      readline.cursorTo(this.output, 0);
      this.output.write(`${text}\n`);
      this.rl.prompt(true);
    } else {
      this.output.write(`${text}\n`);
    }
  }

  close(): void {
    if (this.prompting) this.output.write('\n');
    this.prompting = false;
    this.rl.close();
  }
}
