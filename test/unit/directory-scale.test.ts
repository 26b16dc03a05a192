/**
 * Issue #10: the directory panel used to read the grants of every file on each update. It now reads them only for
 * the page it shows, so its persistence reads do not grow with the number of files.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { directoryState } from '../../src/forms/directoryPanel';
import { DIRECTORY_PAGE_SIZE } from '../../src/ui/directoryView';
import { SharingWorld } from '../support/sharingFakes';

async function readsForPanel(files: number): Promise<number> {
  const world = await SharingWorld.create(['alice']);
  for (let i = 0; i < files; i++) {
    await world.store('alice', `report-${String(i).padStart(3, '0')}.txt`);
  }
  const accessors = { appId: 'app', read: world.read, persistence: world.db };
  const before = world.db.reads;
  const state = await directoryState(accessors, world.users.alice, 'view', { query: '', page: 0 }, Date.now());
  assert.equal(state.files.length, files);
  return world.db.reads - before;
}

test('the directory panel reads as much persistence for 500 files as for one page of them', async () => {
  const onePage = await readsForPanel(DIRECTORY_PAGE_SIZE);
  const many = await readsForPanel(500);
  assert.equal(many, onePage, `${many} reads for 500 files, ${onePage} for ${DIRECTORY_PAGE_SIZE}`);
  assert.ok(onePage <= 2 * DIRECTORY_PAGE_SIZE + 4, `${onePage} reads for one page`);
});
