import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const COPY = path.join(ROOT, '.cache', 'bench-app');
export const BENCH_APP_ZIP = path.join(ROOT, 'dist', 'ipfs-storage_bench.zip');

/** The cap's line in src/settings/settings.ts; the bench fails loudly if it ever reads differently. */
const CAP_LINE = /^export const MAX_FILE_SIZE_CAP_MB = \d+;$/m;

/**
 * Packages the app from the working tree exactly as `npm run package` does, except that the file-size cap
 * (MAX_FILE_SIZE_CAP_MB, 32 MB since the 50 MB liveness kill) is raised to `capMb`, so the bench can ask for
 * 50 and 100 MiB. Works on a copy of the sources in .cache/bench-app (src/ is never touched): of the working
 * tree, or of commit `ref` (`git archive`, for a run that must not pick up edits in progress). The copy's
 * imports of npm packages resolve to the project's node_modules, one level up.
 * @returns the zip's path.
 */
export async function packageBenchApp(capMb: number, ref?: string): Promise<string> {
  fs.rmSync(COPY, { recursive: true, force: true });
  fs.mkdirSync(COPY, { recursive: true });
  const entries = ['app.json', 'icon.png', 'IpfsStorageApp.ts', 'i18n', 'src'];
  if (ref) {
    const tar = execFileSync('git', ['archive', '--format=tar', ref, ...entries], { cwd: ROOT, maxBuffer: 1 << 28 });
    execFileSync('tar', ['-x', '-C', COPY], { input: tar });
  } else {
    for (const entry of entries) fs.cpSync(path.join(ROOT, entry), path.join(COPY, entry), { recursive: true });
  }
  const settings = path.join(COPY, 'src', 'settings', 'settings.ts');
  const source = fs.readFileSync(settings, 'utf8');
  if (!CAP_LINE.test(source)) throw new Error(`bench: no "export const MAX_FILE_SIZE_CAP_MB = <n>;" in ${settings}`);
  fs.writeFileSync(settings, source.replace(CAP_LINE, `export const MAX_FILE_SIZE_CAP_MB = ${capMb};`));
  // scripts/package.mjs has no type declarations: import it through a computed specifier
  const script = path.join(ROOT, 'scripts', 'package.mjs');
  const packager = (await import(script)) as {
    packageApp(opts: { app: string; out: string; check: boolean }): Promise<{ zipPath: string }>;
  };
  return (await packager.packageApp({ app: COPY, out: BENCH_APP_ZIP, check: false })).zipPath;
}
