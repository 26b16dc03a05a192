/**
 * The opener's entry point: `node dist/ipfs-open.mjs <CID>` (the bundle of this file) or `npm run open -- <CID>`.
 * Everything else lives in main.ts, which tests import without running anything.
 */
import { runOpener } from './main';

void runOpener(process.argv.slice(2), {
  env: process.env,
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
}).then((status) => {
  process.exitCode = status;
});
