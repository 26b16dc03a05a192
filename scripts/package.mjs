#!/usr/bin/env node
// Packs a Rocket.Chat app the way the engine's AppPackageParser reads it:
//   app.json, the icon, i18n/*.json and ONE CommonJS file named like app.json's classFile with `.ts` -> `.js`.
// A package with more than one .js file is treated as a "legacy" app and re-bundled by the engine, so we ship
// exactly one: esbuild bundles the class file with everything it imports (src/, npm packages, i18n JSON) and
// leaves only `@rocket.chat/apps-engine/*` and node built-ins to the runtime's require().
// Usage: node scripts/package.mjs [--app <dir>] [--out <zip>] [--check]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import AdmZip from 'adm-zip';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// what the Deno runtime's require() lets an app load (deno-runtime/handlers/app/construct.ts)
const ALLOWED_REQUIRES = new Set(
  ['path', 'url', 'crypto', 'buffer', 'stream', 'net', 'http', 'https', 'zlib', 'util', 'punycode', 'os']
    .concat(['querystring', 'fs', 'uuid'])
    .flatMap((m) => [m, `node:${m}`]),
);

function parseArgs(argv) {
  const opts = { app: root, out: undefined, check: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--check') opts.check = true;
    else if (argv[i] === '--app') opts.app = path.resolve(argv[++i]);
    else if (argv[i] === '--out') opts.out = path.resolve(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return opts;
}

/**
 * The browser page's script (src/page/browser/main.ts), bundled for browsers and handed to the app's bundle as the
 * text of the module `page-script:bundle`, so the app serves it and both share one crypto and IPFS core.
 */
export async function buildPageScript() {
  const result = await build({
    entryPoints: [path.join(root, 'src/page/browser/main.ts')],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: true,
    tsconfig: path.join(root, 'tsconfig.json'),
    write: false,
    logLevel: 'warning',
  });
  return result.outputFiles[0].text;
}

const pageScriptPlugin = {
  name: 'page-script',
  setup(b) {
    b.onResolve({ filter: /^page-script:bundle$/ }, (args) => ({ path: args.path, namespace: 'page-script' }));
    b.onLoad({ filter: /.*/, namespace: 'page-script' }, async () => ({
      contents: `export default ${JSON.stringify(await buildPageScript())};`,
      loader: 'js',
    }));
  },
};

/** Bundles and (unless check) zips the app in `opts.app`; returns { zipPath?, bundle, info }. */
export async function packageApp(opts) {
  const info = JSON.parse(fs.readFileSync(path.join(opts.app, 'app.json'), 'utf8'));
  const classFile = info.classFile;
  const entry = path.join(opts.app, classFile);
  if (!fs.existsSync(entry)) throw new Error(`classFile ${classFile} not found in ${opts.app}`);
  const className = path.basename(classFile).replace(/\.ts$/, '');
  const started = Date.now();
  const result = await build({
    // The runtime instantiates Object.values(module.exports)[0]: export the app class and nothing else.
    stdin: { contents: `export { ${className} } from './${classFile}';`, resolveDir: opts.app, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'es2022',
    external: ['@rocket.chat/apps-engine', '@rocket.chat/apps-engine/*'],
    tsconfig: path.join(root, 'tsconfig.json'),
    write: false,
    metafile: true,
    logLevel: 'warning',
    plugins: [pageScriptPlugin],
  });
  const bundle = result.outputFiles[0].contents;
  // judge what the bundle really requires at run time (type-only imports leave no require behind)
  const requires = [
    ...Buffer.from(bundle)
      .toString('utf8')
      .matchAll(/\brequire\((["'])([^"']+)\1\)/g),
  ].map((m) => m[2]);
  const forbidden = requires.filter((p) => !p.startsWith('@rocket.chat/apps-engine') && !ALLOWED_REQUIRES.has(p));
  if (forbidden.length) throw new Error(`the Deno runtime would refuse require() of: ${[...new Set(forbidden)]}`);
  const ms = Date.now() - started;
  if (opts.check) return { bundle, info, ms };

  const zip = new AdmZip();
  zip.addFile('app.json', fs.readFileSync(path.join(opts.app, 'app.json')));
  if (info.iconFile) zip.addFile(info.iconFile, fs.readFileSync(path.join(opts.app, info.iconFile)));
  const i18nDir = path.join(opts.app, 'i18n');
  if (fs.existsSync(i18nDir)) {
    for (const name of fs
      .readdirSync(i18nDir)
      .filter((n) => n.endsWith('.json'))
      .sort()) {
      zip.addFile(`i18n/${name}`, fs.readFileSync(path.join(i18nDir, name)));
    }
  }
  // the parser looks the class file up as app.json's classFile with its first '.ts' replaced by '.js'
  zip.addFile(classFile.replace('.ts', '.js'), Buffer.from(bundle));
  const zipPath = opts.out ?? path.join(root, 'dist', `${info.nameSlug}_${info.version}.zip`);
  fs.mkdirSync(path.dirname(zipPath), { recursive: true });
  zip.writeZip(zipPath);
  return { zipPath, bundle, info, ms };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const opts = parseArgs(process.argv.slice(2));
  const { zipPath, bundle, info, ms } = await packageApp(opts);
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  console.log(`${info.name} ${info.version}: bundle ${kib(bundle.byteLength)} in ${ms} ms`);
  if (zipPath) console.log(`${path.relative(process.cwd(), zipPath)}: ${kib(fs.statSync(zipPath).size)}`);
}
