#!/usr/bin/env node
// `npm run deploy -- --url https://chat.example.com -u admin -p secret [--update]`
//
// Wraps `rc-apps deploy`, with one difference that matters: `rc-apps deploy` compiles the TypeScript itself,
// file by file, without bundling npm dependencies, and the engine's Deno sandbox refuses to load tweetnacl
// and @noble/hashes from anywhere but the app's own JavaScript. So this packages the app with our bundler
// (scripts/package.mjs) and hands the zip to rc-apps' own login/upload code (server info, .rcappsconfig,
// username+password or user id+token, 2FA code, update when the app is already installed).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { packageApp } from './package.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { getServerInfo, uploadApp } = require('@rocket.chat/apps-cli/lib/misc/deployHelpers');

const FLAGS = {
  '--url': 'url',
  '--username': 'username',
  '-u': 'username',
  '--password': 'password',
  '-p': 'password',
  '--token': 'token',
  '-t': 'token',
  '--userid': 'userId',
  '-i': 'userId',
  '--code': 'code',
  '-c': 'code',
};

function parseFlags(argv) {
  const flags = {};
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i].split(/=(.*)/s, 2);
    if (name === '--update') flags.update = true;
    else if (FLAGS[name]) flags[FLAGS[name]] = inline ?? argv[++i];
    else throw new Error(`unknown argument ${argv[i]} (see README: Install in a workspace)`);
  }
  return flags;
}

async function main() {
  const flags = parseFlags(process.argv.slice(2));
  const { zipPath, info } = await packageApp({ app: root, check: false });
  // the shape of rc-apps' FolderDetails that its deploy helpers read
  const folder = {
    info,
    mergeWithFolder: (file) => path.resolve(root, file),
    doesFileExist: async (file) => fs.existsSync(file),
  };
  const server = await getServerInfo(folder, flags);
  console.log(
    `deploying ${path.relative(root, zipPath)} to ${server.url} (Rocket.Chat ${server.serverVersion ?? '?'})`,
  );
  await uploadApp(server, folder, path.relative(root, zipPath));
  console.log('deployed: open Administration → Apps to check its status and settings');
}

main().catch((error) => {
  console.error(`deploy failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
