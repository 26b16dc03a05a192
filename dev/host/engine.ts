/**
 * Which apps-engine the host runs (docs/COMPATIBILITY.md). Without `ENGINE`, or with the pinned version, it is
 * node_modules/@rocket.chat/apps-engine. With `ENGINE=<version>` of an older engine it is the copy that
 * scripts/ensure-deno.mjs keeps in .cache/engines/<version>: engines before 1.62 start their Deno runtime in place,
 * and Deno refuses TypeScript under node_modules.
 *
 * Importing this module sends every later `require('@rocket.chat/apps-engine…')` of this process to the chosen
 * engine, so the host's AppManager, bridges and definitions are that version's. Load it before anything else
 * (`node --import tsx --import ./dev/host/engine.ts …`, as scripts/test.sh does); dev/host/index.ts imports it
 * first too, and {@link assertEngineLoaded} refuses a process that loaded the pinned engine's server before it.
 */
import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';

const PACKAGE = '@rocket.chat/apps-engine';
const ROOT = path.resolve(__dirname, '../..');
const PINNED_DIR = path.join(ROOT, 'node_modules', PACKAGE);
const pinnedVersion = (
  JSON.parse(fs.readFileSync(path.join(PINNED_DIR, 'package.json'), 'utf8')) as { version: string }
).version;
const requested = process.env.ENGINE?.trim() || pinnedVersion;

/** The engine version this process runs. */
export const engineVersion: string = requested;

/** Whether this process runs an engine other than the pinned one. */
export const isOlderEngine: boolean = requested !== pinnedVersion;

/** The chosen engine's package directory. */
export const engineDir: string = isOlderEngine ? path.join(ROOT, '.cache', 'engines', requested) : PINNED_DIR;

/** The file in DENO_DIR that scripts/ensure-deno.mjs writes once the engine's runtime loads offline. */
export const warmStampName: string = isOlderEngine ? `.warm-stamp-${requested}` : '.warm-stamp';

/** Where a request for the engine package goes in the chosen engine. */
function redirect(request: string): string {
  if (request !== PACKAGE && !request.startsWith(`${PACKAGE}/`)) return request;
  return engineDir + request.slice(PACKAGE.length);
}

type ResolveFilename = (this: unknown, request: string, ...rest: unknown[]) => string;
const loader = Module as unknown as { _resolveFilename: ResolveFilename };
const REDIRECTED = Symbol.for('ipfs-storage.host.engine-redirect');

if (isOlderEngine && !(REDIRECTED in loader)) {
  const original = loader._resolveFilename;
  loader._resolveFilename = function resolveToChosenEngine(request: string, ...rest: unknown[]): string {
    return original.call(this, redirect(request), ...rest);
  };
  Object.defineProperty(loader, REDIRECTED, { value: true });
}

/**
 * Throws unless the chosen engine can run: its copy exists, and no module of the pinned engine's server was
 * loaded into this process (that would mix two engines' classes).
 */
export function assertEngineLoaded(): void {
  if (!isOlderEngine) return;
  if (!fs.existsSync(path.join(engineDir, 'package.json'))) {
    throw new Error(
      `host: ENGINE=${requested} has no copy in ${path.relative(ROOT, engineDir)}; ` +
        'add it as an npm alias devDependency (docs/COMPATIBILITY.md) and run `node scripts/ensure-deno.mjs`',
    );
  }
  const pinnedServer = path.join(PINNED_DIR, 'server') + path.sep;
  const mixed = Object.keys(require.cache).find((file) => file.startsWith(pinnedServer));
  if (mixed) {
    throw new Error(
      `host: ENGINE=${requested}, but ${path.relative(ROOT, mixed)} was loaded first; ` +
        'start node with `--import tsx --import ./dev/host/engine.ts`',
    );
  }
}
