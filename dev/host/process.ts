/** Process-level setup of the host: Deno on PATH, permission-denial recording, the app log reader. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { AppPermissionManager } from '@rocket.chat/apps-engine/server/managers/AppPermissionManager';
import type { MemoryLogStorage } from './storage';
import type { Workspace } from './workspace';
import { engineDir, warmStampName } from './engine';

const ROOT = path.resolve(__dirname, '../..');
let patched = false;
let current: Workspace | undefined;

/** Puts the `deno` binary on PATH and DENO_DIR where scripts/ensure-deno.mjs warmed it (running it if needed). */
export function prepareDeno(): void {
  const bin = path.join(ROOT, '.cache', 'bin');
  const denoDir = path.join(ROOT, '.cache', 'deno');
  const engine = engineDir; // the pinned engine, or the ENGINE copy (./engine.ts)
  const config = path.join(engine, 'deno-runtime', 'deno.jsonc');
  // `npm ci` restores the engine's deno.jsonc and drops src/: re-run the (idempotent) setup then too
  const ready =
    fs.existsSync(path.join(denoDir, warmStampName)) &&
    fs.existsSync(path.join(bin, 'deno')) &&
    fs.existsSync(path.join(engine, 'src', 'definition', 'App.ts')) &&
    fs.readFileSync(config, 'utf8').includes('scripts/ensure-deno.mjs');
  if (!ready) {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'ensure-deno.mjs'), '--quiet'], { stdio: 'inherit' });
  }
  if (!process.env.PATH?.split(':').includes(bin)) process.env.PATH = `${bin}:${process.env.PATH ?? ''}`;
  process.env.DENO_DIR = denoDir;
}

/** The engine only console.errors a refused permission; keep a record for tests too. */
export function watchPermissionDenials(ws: Workspace): void {
  current = ws;
  if (patched) return;
  patched = true;
  const pm = AppPermissionManager as unknown as { notifyAboutError(err: unknown): void };
  const original = pm.notifyAboutError.bind(AppPermissionManager);
  pm.notifyAboutError = (err: unknown) => {
    current?.permissionDenials.push(err instanceof Error ? err.message : String(err));
    original(err);
  };
}

export function errorLines(logs: MemoryLogStorage, appId: string): string[] {
  return logs.entries
    .filter((e) => e.appId === appId)
    .flatMap((e) =>
      e.entries.filter((l) => String(l.severity) === 'error').map((l) => `${e.method}: ${JSON.stringify(l.args)}`),
    );
}

/** Stops recording denials into this workspace (its host stopped). */
export function releasePermissionDenials(ws: Workspace): void {
  if (current === ws) current = undefined;
}
