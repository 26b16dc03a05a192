/**
 * The opener's command line: `ipfs-open [open] <CID> [options]`. A small table-driven parser (the Node 16
 * types the project pins lack util.parseArgs).
 */

/** Everything the command line decides. */
export interface OpenerOptions {
  cid: string;
  source: { kind: 'kubo' | 'gateway'; url: string };
  passwordFile?: string;
  fileKeyFile?: string;
  outDir: string;
  timeoutMs: number;
  language?: string;
  quiet: boolean;
}

/** The command line cannot be used; `key` is an opener i18n key, `params` fill it. */
export class UsageError extends Error {
  constructor(
    public readonly key: string,
    public readonly params: Record<string, string> = {},
  ) {
    super(`${key} ${JSON.stringify(params)}`);
    this.name = 'UsageError';
  }
}

/** Kubo's default RPC address, used when neither --api nor --gateway (nor $IPFS_API) says otherwise. */
export const DEFAULT_API = 'http://127.0.0.1:5001';
const DEFAULT_TIMEOUT_S = 60;

type Setter = (o: Partial<OpenerOptions> & { flags: Set<string> }, value: string) => void;

/** Options that take a value. */
const VALUED: Record<string, Setter> = {
  '--api': (o, v) => (o.source = { kind: 'kubo', url: v }),
  '--gateway': (o, v) => (o.source = { kind: 'gateway', url: v }),
  '--password-file': (o, v) => (o.passwordFile = v),
  '--file-key-file': (o, v) => (o.fileKeyFile = v),
  '--out': (o, v) => (o.outDir = v),
  '-o': (o, v) => (o.outDir = v),
  '--timeout': (o, v) => {
    const seconds = Number(v);
    if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError('opener_bad_value', { option: '--timeout' });
    o.timeoutMs = Math.round(seconds * 1000);
  },
  '--lang': (o, v) => (o.language = v),
};
/** Flags without a value. */
const FLAGS = new Set(['--help', '-h', '--quiet', '-q', '--version']);

/**
 * Parses the arguments after `node ipfs-open.mjs`.
 *
 * @param env - environment, for `IPFS_API` and `IPFS_GATEWAY` defaults
 * @returns the options, or `'help'` / `'version'` when those were asked for
 * @throws {UsageError} for unknown options, missing values, no CID or conflicting choices
 */
export function parseArgs(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): OpenerOptions | 'help' | 'version' {
  const o: Partial<OpenerOptions> & { flags: Set<string> } = { flags: new Set() };
  const positional: string[] = [];
  const sources: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (VALUED[name]) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '') throw new UsageError('opener_missing_value', { option: name });
      if (name === '--api' || name === '--gateway') sources.push(name);
      VALUED[name](o, value);
    } else if (FLAGS.has(arg)) {
      o.flags.add(arg);
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new UsageError('opener_unknown_option', { option: arg });
    } else {
      positional.push(arg);
    }
  }
  if (o.flags.has('--help') || o.flags.has('-h')) return 'help';
  if (o.flags.has('--version')) return 'version';
  if (positional[0] === 'open') positional.shift();
  if (positional.length === 0) throw new UsageError('opener_missing_cid');
  if (positional.length > 1) throw new UsageError('opener_extra_argument', { argument: positional[1] });
  if (sources.length > 1) throw new UsageError('opener_one_source');
  if (o.passwordFile && o.fileKeyFile) throw new UsageError('opener_one_secret');
  const fallback = env.IPFS_GATEWAY
    ? { kind: 'gateway' as const, url: env.IPFS_GATEWAY }
    : { kind: 'kubo' as const, url: env.IPFS_API || DEFAULT_API };
  return {
    cid: positional[0],
    source: o.source ?? fallback,
    passwordFile: o.passwordFile,
    fileKeyFile: o.fileKeyFile,
    outDir: o.outDir ?? '.',
    timeoutMs: o.timeoutMs ?? DEFAULT_TIMEOUT_S * 1000,
    language: o.language,
    quiet: o.flags.has('--quiet') || o.flags.has('-q'),
  };
}
