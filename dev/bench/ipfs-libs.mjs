#!/usr/bin/env node
// Issue #12 item 5: src/ipfs on multiformats (and the @ipld / ipfs-unixfs variants) against the hand-written src/ipfs
// of a baseline commit, in one run, in Node and in Deno inside the engine's app wrapper (globalThis undefined).
// Also what each library adds to the app's bundle. Prints a markdown report (docs/PERFORMANCE.md, "IPFS libraries").
// Usage: node dev/bench/ipfs-libs.mjs [--baseline <commit>] [--mib 20] [--no-deno]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// the last commit with CIDs, multibase and varints written by hand
const DEFAULT_BASELINE = '290aacf2e1898d0a7d69ec464fa4b84322d6fb1c';
const BASELINE_FILES = ['car', 'cid', 'dagpb', 'DagReader', 'DagUploader', 'multibase', 'unixfs', 'varint'];
const work = path.join(root, '.cache', 'bench-ipfs-libs');

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const baseline = option('--baseline', DEFAULT_BASELINE);
const mib = Number(option('--mib', '20'));

/** The baseline's src/ipfs files (errors.ts is today's: same classes), plus an entry that runs both. */
function writeSources() {
  const dir = path.join(work, 'baseline');
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const name of BASELINE_FILES) {
    const text = execFileSync('git', ['show', `${baseline}:src/ipfs/${name}.ts`], { cwd: root, encoding: 'utf8' });
    fs.writeFileSync(path.join(dir, `${name}.ts`), text);
  }
  fs.writeFileSync(path.join(dir, 'errors.ts'), "export * from '../../../src/ipfs/errors';\n");
  const modules = ['car', 'cid', 'dagpb', 'DagReader', 'DagUploader', 'unixfs'];
  fs.writeFileSync(
    path.join(work, 'entry.ts'),
    modules.map((m) => `import * as ${m} from './baseline/${m}';`).join('\n') +
      `\nimport { run } from '../../dev/bench/ipfsLibsRun';\nvoid run({ ${modules.join(', ')} }, ${mib});\n`,
  );
}

/** The engine's wrapper (deno-runtime/handlers/app/construct.ts): app code sees globalThis and Deno undefined. */
const DENO_RUNNER = `
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const code = Deno.readTextFileSync(Deno.args[0]);
const wrapped = new Function('require', \`const { Buffer } = require('buffer'); const exports = {}; const module = { exports };
  return (async (exports,module,require,Buffer,console,globalThis,Deno) => { \${code}; })(exports,module,require,Buffer,console,undefined,undefined);\`);
try { await wrapped((m) => require(m)); } catch (e) { console.log(JSON.stringify({ loadError: String(e) })); }
`;

async function bundle(name, options = {}) {
  const out = path.join(work, `${name}.cjs`);
  await build({
    entryPoints: [path.join(work, 'entry.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'es2022',
    outfile: out,
    logLevel: 'error',
    ...options,
  });
  return out;
}

function runIn(runtime, file) {
  const deno = path.join(root, '.cache', 'bin', 'deno');
  const [cmd, args] =
    runtime === 'node'
      ? [process.execPath, [file]]
      : [deno, ['run', '--allow-read', '--allow-env', path.join(work, 'deno-runner.ts'), file]];
  const env = { ...process.env, DENO_DIR: path.join(root, '.cache', 'deno') };
  const out = execFileSync(cmd, args, { cwd: root, encoding: 'utf8', env, maxBuffer: 1 << 24 });
  return out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
}

/** Bytes each library adds to a CommonJS bundle of the app's settings (esbuild, not minified, as the app ships). */
async function librarySizes() {
  const entries = {
    'multiformats (CID, base32, base58btc, varint, digest)': `export { CID, varint } from 'multiformats'; export { base32, base32upper } from 'multiformats/bases/base32'; export { base58btc } from 'multiformats/bases/base58';`,
    '@ipld/dag-pb': `export * from '@ipld/dag-pb';`,
    'ipfs-unixfs': `export { UnixFS } from 'ipfs-unixfs';`,
    '@ipld/car buffer-writer': `export * from '@ipld/car/buffer-writer';`,
  };
  const rows = [];
  for (const [name, contents] of Object.entries(entries)) {
    const r = await build({
      stdin: { contents, resolveDir: root, loader: 'js' },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'es2022',
      write: false,
      logLevel: 'error',
    });
    const code = r.outputFiles[0].text;
    rows.push({ name, kib: code.length / 1024, globalThis: (code.match(/\bglobalThis\b/g) ?? []).length });
  }
  return rows;
}

const fmt = (v) => (typeof v === 'number' ? (v >= 100 ? Math.round(v).toLocaleString('en') : v.toFixed(1)) : '');

function table(figures) {
  const lines = [
    '| figure | unit | hand-written (baseline) | src/ipfs now | with @ipld / ipfs-unixfs | ratio now/baseline |',
    '|---|---|---|---|---|---|',
  ];
  for (const f of figures) {
    if (f.loadError) continue;
    if (f.noble !== undefined) {
      lines.push(`| ${f.figure}: noble / node:crypto | ${f.unit} | ${fmt(f.noble)} | ${fmt(f['node:crypto'])} | | |`);
      continue;
    }
    lines.push(
      `| ${f.figure} | ${f.unit} | ${fmt(f.baseline)} | ${fmt(f.now)} | ${fmt(f.libraries)} | ${(f.now / f.baseline).toFixed(2)} |`,
    );
  }
  return lines.join('\n');
}

writeSources();
fs.writeFileSync(path.join(work, 'deno-runner.ts'), DENO_RUNNER);
const plain = await bundle('plain');
// In the engine ipfs-unixfs (protons-runtime) and @ipld/car (cborg) read globalThis.Buffer as they load; this
// bundle gives them an empty stand-in so their speed can be measured there at all.
const shimmed = await bundle('shimmed', {
  define: { globalThis: '__benchGlobal' },
  banner: { js: 'var __benchGlobal = {};' },
});
console.log(`# IPFS libraries: baseline ${baseline.slice(0, 10)}, ${mib} MiB runs, ${new Date().toISOString()}\n`);
console.log('## Bundle size per library\n\n| library | KiB (CJS, not minified) | `globalThis` uses |\n|---|---|---|');
for (const r of await librarySizes()) console.log(`| ${r.name} | ${r.kib.toFixed(1)} | ${r.globalThis} |`);
console.log(`\n## Node ${process.version}\n\n${table(runIn('node', plain))}`);
if (!process.argv.includes('--no-deno')) {
  const load = runIn('deno', plain).find((f) => f.loadError);
  console.log(`\n## Deno, engine wrapper\n\nLoading the bundle as is: ${load ? load.loadError : 'loads'}\n`);
  console.log(table(runIn('deno', shimmed)));
}
