// Local stand-in for jsr:@std/cli/parse-args. The runtime's lib/parseArgs.ts imports it but nothing imports that
// file today; this covers the `--key value`, `--key=value` and bare `--flag` forms the engine passes.
/** Minimal parseArgs: long options only, numeric strings become numbers, the rest goes to `_`. */
export function parseArgs(args: string[]): Record<string, unknown> & { _: (string | number)[] } {
  const out: Record<string, unknown> & { _: (string | number)[] } = { _: [] };
  const value = (v: string): string | number => (v !== '' && !isNaN(Number(v)) ? Number(v) : v);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) {
      out._.push(value(arg));
      continue;
    }
    const eq = arg.indexOf('=');
    if (eq > 0) {
      out[arg.slice(2, eq)] = value(arg.slice(eq + 1));
    } else if (i + 1 < args.length && !args[i + 1].startsWith('--')) {
      out[arg.slice(2)] = value(args[++i]);
    } else {
      out[arg.slice(2)] = true;
    }
  }
  return out;
}
