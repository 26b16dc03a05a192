import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { engineDir, engineVersion } from '../../dev/host/engine';

const ROOT = path.resolve(__dirname, '../..');
const versionOf = (dir: string): string =>
  (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;

test('the host loads the engine that ENGINE names (the pinned one without it)', () => {
  const expected = process.env.ENGINE?.trim() || versionOf(path.join(ROOT, 'node_modules/@rocket.chat/apps-engine'));
  assert.equal(engineVersion, expected);
  assert.equal(versionOf(engineDir), expected);
  const manager = require.resolve('@rocket.chat/apps-engine/server/AppManager');
  assert.ok(manager.startsWith(engineDir + path.sep), `${manager} is outside ${engineDir}`);
});

test("an older engine runs from a copy outside node_modules, where Deno accepts its runtime's TypeScript", (t) => {
  if (engineDir.endsWith(path.join('node_modules', '@rocket.chat', 'apps-engine'))) {
    t.skip('the pinned engine runs in place');
    return;
  }
  assert.ok(!engineDir.split(path.sep).includes('node_modules'), engineDir);
  assert.ok(fs.existsSync(path.join(engineDir, 'deno-runtime', 'main.ts')));
});
