import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test, type TestContext } from 'node:test';
import { RequestMethod } from '@rocket.chat/apps-engine/definition/accessors';
import { performHttpRequest } from '../../dev/host/http/rocketChatHttp';
import { cidEquals, parseCid } from '../../src/ipfs/cid';
import { computeUnixfsCid } from '../../src/ipfs/unixfs';
import {
  retrieveThroughCommand,
  seen,
  startAppWorkspace,
  storeThroughCommand,
  type AppWorkspace,
} from '../support/appWorkspace';
import { allowlistEntryFor } from '../../dev/host/http/ssrf';
import { startFaultyProxy, type FaultyProxy } from '../support/faultyProxy';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

const MiB = 1024 * 1024;
const PASSWORD = 'silver-Anchor-63-orchard';

// Issue #5: every file goes to IPFS as ~1 MiB blocks and comes back block by block, each verified.
test('files of every size stream through 1 MiB blocks, and a lying or failing provider is caught', async (t) => {
  const workspace = await startAppWorkspace({ appSettings: { max_file_size_mb: 32 } });
  try {
    await cases(t, workspace);
  } finally {
    await workspace.stop();
  }
});

async function cases(t: TestContext, workspace: AppWorkspace): Promise<void> {
  const { host, node } = workspace;
  host.addUser({ username: 'alice' });
  host.addUser({ username: 'bob' });
  const stored: Array<{ cid: string; bytes: Buffer }> = [];
  // the app talks to the node through a proxy that sees every message, and breaks some on demand
  const proxy = await startFaultyProxy(node.apiUrl);
  // the proxy is another local address: the admin allowlists it for Rocket.Chat's SSRF guard too
  host.setServerSetting('SSRF_Allowlist', [node.apiUrl, proxy.url].map(allowlistEntryFor).join(','));
  await host.setAppSetting('ipfs_api_url', proxy.url);
  try {
    await roundTrips(t, workspace, proxy, stored);
    await faults(t, workspace, proxy, stored);
  } finally {
    await host.setAppSetting('ipfs_api_url', node.apiUrl);
    await proxy.close();
  }
}

async function roundTrips(
  t: TestContext,
  { host, ipfs }: AppWorkspace,
  proxy: FaultyProxy,
  stored: Array<{ cid: string; bytes: Buffer }>,
): Promise<void> {
  const alice = host.ws.userByUsername('alice') as IUser;
  const bob = host.ws.userByUsername('bob') as IUser;

  for (const [label, size] of [
    ['0 B', 0],
    ['1 MiB − 1', MiB - 1],
    ['1 MiB + 1', MiB + 1],
    ['3 MiB + 7', 3 * MiB + 7],
    ['30 MiB', 30 * MiB],
  ] as const) {
    await t.test(`${label}: byte-identical round trip, and the CID is the one add would give`, async () => {
      const bytes = crypto.randomBytes(size);
      host.uploadFile(alice, host.general, { name: `file-${size}.bin`, bytes });
      const { cid } = await storeThroughCommand(host, alice, host.general, PASSWORD);
      const got = await retrieveThroughCommand(host, bob, host.general, cid, PASSWORD);
      assert.ok(got.bytes.equals(bytes), 'byte-identical');
      const object = await ipfs.cat(cid);
      assert.ok(cidEquals(parseCid(cid), computeUnixfsCid(object)), 'same DAG as add');
      assert.ok(cidEquals(parseCid(cid), parseCid(await ipfs.add(object))), 'add of the same bytes gives the same CID');
      stored.push({ cid, bytes });
    });
  }

  await t.test('every request and answer between the app and the provider stayed near 1 MiB', () => {
    const largest = Math.max(...proxy.seen.map((request) => Math.max(request.requestBytes, request.responseBytes)));
    assert.ok(proxy.seen.length > 60, `${proxy.seen.length} requests seen`);
    assert.ok(largest <= MiB + 4096, `largest message ${largest} bytes`);
  });
}

async function faults(
  t: TestContext,
  { host, node }: AppWorkspace,
  proxy: FaultyProxy,
  stored: Array<{ cid: string; bytes: Buffer }>,
): Promise<void> {
  const alice = host.ws.userByUsername('alice') as IUser;
  const bob = host.ws.userByUsername('bob') as IUser;
  {
    await t.test('a provider that corrupts one block is caught at that block and nothing is delivered', async () => {
      const { cid } = stored.find((file) => file.bytes.length === 3 * MiB + 7) ?? stored[0];
      const viewId = (await host.runSlashCommand(bob, host.general, `/ipfs get ${cid}`)).opened[0].id;
      // the header probe and the root are fine; the third block read is a leaf in the middle of the file
      proxy.setFaults({ corruptBlockGet: { nth: 3 } });
      const uploads = host.uploads().length;
      const toldBefore = seen(host, bob).length;
      const answer = await host.submitViewValues(bob, viewId, { ipfs_password: PASSWORD });
      assert.deepEqual(answer.errors, {});
      const told = await host.waitFor(
        () =>
          seen(host, bob)
            .slice(toldBefore)
            .find((text) => text.startsWith('❌')),
        60_000,
      );
      assert.match(told, /could not be retrieved: The IPFS provider returned data that does not match the CID/);
      assert.equal(proxy.seen.filter((request) => request.fault === 'corrupted').length, 1);
      assert.equal(host.uploads().length, uploads, 'no file posted');
    });

    await t.test('an upload cut off halfway leaves nothing pinned and tells the user', async () => {
      const pinnedBefore = await pinned(node.apiUrl);
      host.uploadFile(alice, host.general, { name: 'interrupted.bin', bytes: crypto.randomBytes(4 * MiB) });
      proxy.setFaults({ dropUpload: 3 });
      const opened = await host.runSlashCommand(alice, host.general, '/ipfs put');
      const toldBefore = seen(host, alice).length;
      await host.submitViewValues(alice, opened.opened[0].id, {
        ipfs_password: PASSWORD,
        ipfs_password_confirm: PASSWORD,
      });
      const told = await host.waitFor(
        () =>
          seen(host, alice)
            .slice(toldBefore)
            .find((text) => text.startsWith('❌')),
        60_000,
      );
      assert.match(told, /`interrupted\.bin` was not stored: The IPFS provider cannot be reached/);
      assert.equal(proxy.seen.filter((request) => request.fault === 'dropped').length, 1);
      assert.ok(!proxy.seen.some((request) => request.command === 'pin/add'), 'the root was never pinned');
      assert.deepEqual(await pinned(node.apiUrl), pinnedBefore, 'nothing new is pinned');
      const listed = await host.runSlashCommand(alice, host.general, '/ipfs list');
      assert.ok(!JSON.stringify(listed.opened[0].blocks).includes('interrupted.bin'), 'nothing in the directory');
      await host.closeView(alice, listed.opened[0].id);
    });

    await t.test(
      'a put cut off by a restart of the app process is reported to the user, and a retry works',
      async () => {
        const pinnedBefore = await pinned(node.apiUrl);
        const bytes = crypto.randomBytes(4 * MiB);
        host.uploadFile(alice, host.general, { name: 'restarted.bin', bytes });
        // the provider stalls on the third block, so the job is surely mid-way when the engine restarts the process
        proxy.setFaults({ holdUploadsAfter: 2 });
        const opened = await host.runSlashCommand(alice, host.general, '/ipfs put');
        await host.submitViewValues(alice, opened.opened[0].id, {
          ipfs_password: PASSWORD,
          ipfs_password_confirm: PASSWORD,
        });
        await host.waitFor(() => proxy.seen.some((request) => request.fault === 'held'), 60_000);
        const progressRoom = [...host.ws.rooms.values()].find(
          (room) =>
            String(room.type) === 'd' &&
            room.usernames.includes('alice') &&
            room.usernames.includes('ipfs-storage.bot'),
        );
        const progressText = () => host.messages(progressRoom?.id ?? '').at(-1)?.text ?? '';
        // the stage's edit is a message of its own through the engine: wait for it, it may land after the held block
        await host.waitFor(() => /restarted\.bin.*encrypting and uploading/.test(progressText()), 30_000);

        await host.restartAppProcess();
        proxy.setFaults({});
        // the new process reports what the old one left unfinished once its record is stale (≤ 30 s unrenewed;
        // a process the engine's liveness check killed has been silent for 40 s, so that one is reported at once)
        const reported = await host.waitFor(() => /^❌ Storing stopped/.test(progressText()) && progressText(), 90_000);
        assert.match(reported, /server restarted the app before it finished.*Nothing was stored/);
        assert.deepEqual(await pinned(node.apiUrl), pinnedBefore, 'nothing new is pinned');
        // the report removes the record after it edited the message: wait for that write too
        await host.waitFor(() => !JSON.stringify(host.persistenceDump()).includes('ipfs-in-flight-job'), 30_000);

        const { cid } = await storeThroughCommand(host, alice, host.general, PASSWORD);
        assert.equal(
          (await retrieveThroughCommand(host, bob, host.general, cid, PASSWORD)).bytes.toString('hex'),
          bytes.toString('hex'),
        );
      },
    );
  }
}

/** The node's recursive pins, as a sorted list. */
async function pinned(apiUrl: string): Promise<string[]> {
  const response = await performHttpRequest(RequestMethod.POST, `${apiUrl}/api/v0/pin/ls?type=recursive`, {});
  const keys = (JSON.parse(response.content ?? '{}') as { Keys?: Record<string, unknown> }).Keys ?? {};
  return Object.keys(keys).sort();
}
