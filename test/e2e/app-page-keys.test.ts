import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { test, type TestContext } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import type { WorkspaceHost } from '../../dev/host';
import { EntryStatus } from '../../src/archive/entries';
import { formatCid } from '../../src/ipfs/cid';
import { decodeFileNode } from '../../src/ipfs/dagpb';
import { seen, storeThroughCommand, waitToBeTold } from '../support/appWorkspace';
import type { AppWorkspace } from '../support/appWorkspace';
import { archiveEntries } from '../support/archiveEntries';
import { withPageWorkspace } from '../support/browser';

const MiB = 1024 * 1024;
const PASSWORD = 'copper-Lantern-81-meadow';
const ARCHIVE_PASSWORD = 'archive-Harbour-27-quiet';

test('the page opens without the password for who may, and serves only the linked file', async (t) => {
  // chat delivery takes up to 1 MiB here, so every file of the test goes through the page
  await withPageWorkspace(t, { archive_mode: 'opt_in', kdf_cost: 15 }, (workspace, browser) =>
    cases(t, workspace, browser),
  );
});

/** A link told to `user` after `before` messages, as the chat shows it, and its capability. */
async function linkTold(host: WorkspaceHost, user: IUser, before: number): Promise<{ text: string; link: string }> {
  const text = await host.waitFor(
    () =>
      seen(host, user)
        .slice(before)
        .find((m) => /\]\((http[^)]+)\)/.test(m)),
    30_000,
  );
  return { text, link: (/\]\((http[^)]+)\)/.exec(text) as RegExpExecArray)[1] };
}

async function linkFromCommand(host: WorkspaceHost, user: IUser, room: IRoom, command: string) {
  const before = seen(host, user).length;
  await host.runSlashCommand(user, room, command);
  return linkTold(host, user, before);
}

/** What the page's script does with a link, done from here: the capability in a header, never in the URL. */
function endpoint(link: string, path: 'key' | 'block', query: Record<string, string>, method = 'GET') {
  const url = new URL(link);
  const base = url.pathname.replace(/\/open$/, `/${path}`);
  return fetch(`${url.origin}${base}?${new URLSearchParams(query).toString()}`, {
    method,
    headers: { 'x-page-capability': url.hash.slice(1) },
  });
}

async function newPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage({ acceptDownloads: true });
  // headless Chromium has no one to answer a save dialog: take the path every other browser takes
  await page.addInitScript(() => delete (window as unknown as { showSaveFilePicker?: unknown }).showSaveFilePicker);
  return page;
}

/** Opens the link, chooses "without password", saves; returns the bytes, or the page's error. */
async function openWithoutPassword(browser: Browser, link: string): Promise<{ bytes?: Buffer; status: string }> {
  const page = await newPage(browser);
  try {
    await page.goto(link);
    assert.equal(await page.isVisible('#use-key'), true, 'the page offers the key');
    await page.click('#use-key');
    await page.waitForFunction(() => {
      const state = document.getElementById('status')?.dataset.state;
      return state === 'page_key_ready' || state === 'error';
    });
    const status = (await page.textContent('#status')) ?? '';
    if ((await page.getAttribute('#status', 'data-state')) === 'error') return { status };
    const [file] = await Promise.all([page.waitForEvent('download'), page.click('#save')]);
    return { bytes: fs.readFileSync(await file.path()), status };
  } finally {
    await page.close();
  }
}

async function cases(t: TestContext, workspace: AppWorkspace, browser: Browser): Promise<void> {
  const { host } = workspace;
  const alice = host.addUser({ username: 'alice' });
  const bob = host.addUser({ username: 'bob' });
  const carol = host.addUser({ username: 'carol' });
  const team = host.addRoom({ name: 'team', type: 'p' as IRoom['type'], members: [alice, bob, carol], creator: alice });
  const report = crypto.randomBytes(2 * MiB + 4321);
  host.uploadFile(alice, host.general, { name: 'report.bin', bytes: report });
  const { cid } = await storeThroughCommand(host, alice, host.general, PASSWORD);
  await host.setAppSetting('max_file_size_mb', 1);
  let archivedCid = '';

  await t.test('the owner gets an over-limit file through the page without the password, byte-identical', async () => {
    const { text, link } = await linkFromCommand(host, alice, host.general, '/ipfs get report.bin');
    assert.match(text, /without the password/);
    assert.match(new URL(link).search, /key=1/);
    const page = await newPage(browser);
    await page.goto(link);
    assert.match((await page.textContent('#key-privacy')) ?? '', /server sees the key, never the decrypted file/);
    await page.close();
    const opened = await openWithoutPassword(browser, link);
    assert.ok(opened.bytes?.equals(report), `byte-identical (${opened.status})`);
    const again = await endpoint(link, 'key', { cid }, 'POST');
    assert.equal(again.status, 403, 'the key is handed out once per link');
    assert.deepEqual(await again.json(), { refused: 'taken' });
  });

  await t.test('a share gives the key while it lives; unshared, the key endpoint refuses', async () => {
    await host.runSlashCommand(alice, host.general, '/ipfs share report.bin @bob 1h');
    await waitToBeTold(host, alice, /is shared with @bob/);
    const { link } = await linkFromCommand(host, bob, host.general, `/ipfs open ${cid}`);
    const { link: second } = await linkFromCommand(host, bob, host.general, `/ipfs open ${cid}`);
    assert.ok((await openWithoutPassword(browser, link)).bytes?.equals(report), 'bob opens it while shared');
    await host.runSlashCommand(alice, host.general, '/ipfs unshare report.bin @bob');
    await waitToBeTold(host, alice, /with @bob has ended/);
    const refused = await endpoint(second, 'key', { cid }, 'POST');
    assert.equal(refused.status, 403);
    assert.deepEqual(await refused.json(), { refused: 'no_right' }, 'the right is checked when the key is asked');
  });

  await t.test('a member gets an archived file over the limit without the password; removed, refused', async () => {
    const form = (await host.runSlashCommand(alice, team, '/ipfs archive on')).opened[0];
    await host.submitViewValues(alice, form.id, {
      ipfs_password: ARCHIVE_PASSWORD,
      ipfs_password_confirm: ARCHIVE_PASSWORD,
    });
    await waitToBeTold(host, alice, /Archiving is on/);
    const minutes = crypto.randomBytes(3 * MiB + 17);
    await host.upload(carol, team, { name: 'minutes.bin', bytes: minutes });
    archivedCid = await host.waitFor(
      () => archiveEntries(host).find((e) => e.name === 'minutes.bin' && e.status === EntryStatus.Archived)?.cid,
      90_000,
    );
    const { link } = await linkFromCommand(host, bob, team, `/ipfs get ${archivedCid}`);
    const { link: second } = await linkFromCommand(host, bob, team, `/ipfs get ${archivedCid}`);
    assert.match(new URL(link).search, /key=1/, 'bob, a member, is offered the key');
    assert.ok((await openWithoutPassword(browser, link)).bytes?.equals(minutes), 'byte-identical');
    const members = host.ws.rooms.get(team.id)?.userIds ?? [];
    members.splice(members.indexOf(bob.id), 1);
    const refused = await endpoint(second, 'key', { cid: archivedCid }, 'POST');
    assert.equal(refused.status, 403, 'bob left the room: no key any more');
    const page = await newPage(browser);
    await page.goto(second);
    await page.click('#use-key');
    await page.waitForFunction(() => document.getElementById('status')?.dataset.state === 'error');
    assert.match((await page.textContent('#status')) ?? '', /Type the password/);
    assert.equal(await page.isVisible('#password'), true, 'the password field is the way left');
    await page.close();
  });

  await t.test("a link's capability fetches no block of another file", async () => {
    const { link: aliceLink } = await linkFromCommand(host, alice, host.general, `/ipfs open ${cid}`);
    const ownRoot = await endpoint(aliceLink, 'block', { root: cid, cid });
    assert.equal(ownRoot.status, 200, 'its own root');
    assert.equal(ownRoot.headers.get('cache-control'), 'no-store', 'no browser cache answers for an expired link');
    const [ownLeaf] = decodeFileNode(new Uint8Array(await ownRoot.arrayBuffer())).links;
    assert.equal((await endpoint(aliceLink, 'block', { root: cid, cid: formatCid(ownLeaf) })).status, 200);
    const otherRoot = await workspace.ipfs.blockGet(archivedCid);
    const otherLeaf = formatCid(decodeFileNode(otherRoot).links[0]);
    const foreign: Array<Record<string, string>> = [
      { root: cid, cid: archivedCid },
      { root: cid, cid: otherLeaf },
      { root: cid, cid: otherLeaf, path: archivedCid },
      { root: archivedCid, cid: otherLeaf },
    ];
    for (const query of foreign) {
      assert.equal((await endpoint(aliceLink, 'block', query)).status, 403, JSON.stringify(query));
    }
  });
}
