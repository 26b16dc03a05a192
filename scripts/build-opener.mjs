#!/usr/bin/env node
// Bundles the command-line opener (src/opener/cli.ts) with everything it imports (src/ipfs, src/crypto, tweetnacl,
// @noble/hashes, the i18n files) into ONE ES module a user can copy and run with plain Node >= 20:
//   node scripts/build-opener.mjs [--out dist/ipfs-open.mjs]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Builds the opener; returns the output path and its size in bytes. */
export async function buildOpener(out = path.join(root, 'dist', 'ipfs-open.mjs')) {
  const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  await build({
    entryPoints: [path.join(root, 'src/opener/cli.ts')],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    tsconfig: path.join(root, 'tsconfig.json'),
    define: { OPENER_VERSION: JSON.stringify(version) },
    // CommonJS dependencies (tweetnacl looks for require('crypto')) get a real require inside the ES module
    banner: {
      js: "#!/usr/bin/env node\nimport { createRequire as __openerRequire } from 'node:module';\nconst require = __openerRequire(import.meta.url);",
    },
    // only a type comes from the engine package; nothing of it may reach the bundle
    external: ['@rocket.chat/apps-engine', '@rocket.chat/apps-engine/*'],
    legalComments: 'inline',
    logLevel: 'warning',
  });
  const text = fs.readFileSync(out, 'utf8');
  if (/@rocket\.chat\/apps-engine/.test(text.replace(/^\/\/.*$/gm, ''))) {
    throw new Error('the opener bundle would need @rocket.chat/apps-engine at run time');
  }
  fs.chmodSync(out, 0o755);
  return { out, bytes: Buffer.byteLength(text) };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--out');
  const { out, bytes } = await buildOpener(i > 0 ? path.resolve(process.argv[i + 1]) : undefined);
  console.log(`${path.relative(process.cwd(), out)}: ${(bytes / 1024).toFixed(1)} KiB`);
}
