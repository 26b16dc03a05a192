import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import net from 'node:net';
import { test, type TestContext } from 'node:test';
import {
  retrieveThroughCommand,
  seen,
  startAppWorkspace,
  storeThroughCommand,
  waitToBeTold,
  type AppWorkspace,
} from '../support/appWorkspace';
import { allowlistEntryFor } from '../../dev/host/http/ssrf';

const PASSWORD = 'orange-Kettle-77-window';

/** A loopback port nobody listens on: a provider that is down. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('bad input through the real engine is answered clearly and loses nothing', async (t) => {
  const workspace = await startAppWorkspace();
  try {
    await cases(t, workspace);
  } finally {
    await workspace.stop();
  }
});

async function cases(t: TestContext, { host, ipfs, node }: AppWorkspace): Promise<void> {
  const alice = host.addUser({ username: 'alice' });
  // carol holds no key to alice's files: her gets go through the password modal
  const carol = host.addUser({ username: 'carol' });
  const bytes = crypto.randomBytes(150_000);
  host.uploadFile(alice, host.general, { name: 'contract.pdf', type: 'application/pdf', bytes });
  const { cid } = await storeThroughCommand(host, alice, host.general, PASSWORD);

  const openGet = async (arg: string): Promise<string> => {
    const opened = await host.runSlashCommand(carol, host.general, `/ipfs get ${arg}`.trim());
    assert.equal(opened.opened.length, 1);
    return opened.opened[0].id;
  };

  await t.test('a wrong password is reported in the modal, which stays open; the right one then works', async () => {
    const viewId = await openGet(cid);
    const wrong = await host.submitViewValues(carol, viewId, { ipfs_password: 'not-the-password' });
    assert.deepEqual(wrong.errors, { ipfs_password: 'Wrong password for this file.' });
    assert.ok(wrong.ms < 5000, `answered in ${wrong.ms} ms`);
    assert.deepEqual(wrong.closed, []);
    const uploads = host.uploads().length;
    const right = await host.submitViewValues(carol, viewId, { ipfs_password: PASSWORD });
    assert.deepEqual(right.errors, {});
    await host.waitFor(() => host.uploads().length > uploads, 60_000);
    assert.ok(host.uploads().at(-1)?.bytes.equals(bytes));
  });

  await t.test('a malformed CID is reported in the modal', async () => {
    const viewId = await openGet('bafy0000000000000000000000000000000000000');
    const answer = await host.submitViewValues(carol, viewId, { ipfs_password: PASSWORD });
    assert.deepEqual(answer.errors, { ipfs_cid: 'That is not a valid CID.' });
    const typed = await host.runSlashCommand(carol, host.general, '/ipfs get holiday-photos.zip');
    assert.equal(typed.opened.length, 0);
    assert.match(
      typed.ephemeral.map((m) => m.text).join(),
      /no file called `holiday-photos\.zip`, and it is not a CID/,
    );
  });

  await t.test('over-long text is refused at once with its limit, before anything parses it', async () => {
    // 100 000 base58 characters took ~4 s to decode before lengths were checked first
    const huge = 'z' + '2'.repeat(100_000);
    const viewId = await openGet('');
    const field = await host.submitViewValues(carol, viewId, { ipfs_cid: huge, ipfs_password: PASSWORD });
    assert.deepEqual(field.errors, { ipfs_cid: 'This text is too long: at most 128 characters are allowed.' });
    assert.ok(field.ms < 1000, `answered in ${field.ms} ms`);
    const password = await host.submitViewValues(carol, viewId, { ipfs_cid: cid, ipfs_password: 'p'.repeat(5000) });
    assert.deepEqual(password.errors, {
      ipfs_password: 'This text is too long: at most 1000 characters are allowed.',
    });
    await host.closeView(carol, viewId);

    const typed = await host.runSlashCommand(carol, host.general, `/ipfs get ${huge}`);
    assert.equal(typed.opened.length, 0);
    assert.match(typed.ephemeral.map((m) => m.text).join(), /too long: at most 1000 characters/);
    const longCid = await host.runSlashCommand(carol, host.general, `/ipfs get z${'2'.repeat(300)}`);
    assert.equal(longCid.opened.length, 0);
    assert.match(longCid.ephemeral.map((m) => m.text).join(), /far too long for a CID: a CID has at most 128/);

    const list = await host.runSlashCommand(alice, host.general, '/ipfs list');
    const directory = list.opened[0];
    const told = seen(host, alice).length;
    const search = await host.blockAction(
      alice,
      { viewId: directory.id, room: host.general },
      'ipfs_dir_search_block',
      'ipfs_dir_search',
      'x'.repeat(100_000),
    );
    assert.deepEqual(search.updated, [], 'the panel was not redrawn for it');
    await host.waitFor(() =>
      seen(host, alice)
        .slice(told)
        .find((text) => /at most 200 characters/.test(text)),
    );
    await host.closeView(alice, directory.id);
  });

  await t.test('a CID of something that is not ours is reported in the modal', async () => {
    const foreign = await ipfs.add(crypto.randomBytes(5000));
    const viewId = await openGet(foreign);
    const answer = await host.submitViewValues(carol, viewId, { ipfs_password: PASSWORD });
    assert.deepEqual(answer.errors, { ipfs_cid: 'This CID does not point to a file stored by IPFS Storage.' });
    assert.ok(answer.ms < 5000);
  });

  await t.test('a CID the provider cannot find is reported in the modal within the 5 s window', async () => {
    const missing = 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy';
    const viewId = await openGet(missing);
    const answer = await host.submitViewValues(carol, viewId, { ipfs_password: PASSWORD });
    assert.match(answer.errors.ipfs_cid ?? '', /cannot find this CID|did not answer in time/);
    assert.ok(answer.ms < 5000, `answered in ${answer.ms} ms`);
  });

  await t.test('a tampered object is refused after download and nothing is delivered', async () => {
    const object = Buffer.from(await ipfs.cat(cid));
    object[object.length - 100] ^= 0x01;
    const tampered = await ipfs.add(object);
    const uploads = host.uploads().length;
    const viewId = await openGet(tampered);
    const answer = await host.submitViewValues(carol, viewId, { ipfs_password: PASSWORD });
    assert.deepEqual(answer.errors, {}, 'the header and password are fine');
    await waitToBeTold(host, carol, /could not be retrieved: The stored file is damaged or was tampered with/);
    assert.equal(host.uploads().length, uploads, 'no partial file was posted');
  });

  await t.test('put checks the passwords in the modal', async () => {
    const opened = await host.runSlashCommand(alice, host.general, '/ipfs put');
    const viewId = opened.opened[0].id;
    const short = await host.submitViewValues(alice, viewId, {
      ipfs_password: 'short',
      ipfs_password_confirm: 'short',
    });
    assert.deepEqual(short.errors, { ipfs_password: 'Use at least 8 characters.' });
    const mismatch = await host.submitViewValues(alice, viewId, {
      ipfs_password: 'long-enough-1',
      ipfs_password_confirm: 'long-enough-2',
    });
    assert.deepEqual(mismatch.errors, { ipfs_password_confirm: 'The two passwords differ.' });
    await host.closeView(alice, viewId);
  });

  await t.test('a file over the size limit is refused in the modal before it is read', async () => {
    await host.setAppSetting('max_file_size_mb', 1);
    host.uploadFile(alice, host.general, { name: 'too-big.bin', bytes: crypto.randomBytes(1_500_000) });
    const opened = await host.runSlashCommand(alice, host.general, '/ipfs put');
    const answer = await host.submitViewValues(alice, opened.opened[0].id, {
      ipfs_password: PASSWORD,
      ipfs_password_confirm: PASSWORD,
    });
    assert.deepEqual(answer.errors, { ipfs_file: 'The file is 1.4 MiB; this workspace allows at most 1.0 MiB.' });
    await host.closeView(alice, opened.opened[0].id);
    await host.setAppSetting('max_file_size_mb', 20);
  });

  await t.test(
    'a provider that is down: status says so (in full to admins), get in the modal, put in chat',
    async () => {
      const port = await closedPort();
      // allowlisted, so that what the app meets is a dead port, not Rocket.Chat's SSRF guard
      const allowlist = host.ws.serverSettings.get('SSRF_Allowlist');
      host.setServerSetting('SSRF_Allowlist', `${String(allowlist)},${allowlistEntryFor(`http://127.0.0.1:${port}`)}`);
      await host.setAppSetting('ipfs_api_url', `http://ipfsadmin:s3cret-in-url@127.0.0.1:${port}`);
      try {
        const status = await host.runSlashCommand(alice, host.general, '/ipfs status');
        assert.deepEqual(
          status.ephemeral.map((m) => m.text),
          ['🔴 IPFS Storage does not work right now; if that lasts, tell an admin.'],
          'no URL and no provider error for a user who is not an admin',
        );
        const full = await host.runSlashCommand(host.admin, host.general, '/ipfs status');
        const statusText = full.ephemeral.map((m) => m.text).join();
        assert.match(
          statusText,
          new RegExp(`at http://127\\.0\\.0\\.1:${port} does not answer: The IPFS provider cannot`),
        );
        assert.doesNotMatch(statusText, /s3cret-in-url/);
        // the engine itself echoes a changed setting's value into the log; what the app logs must not
        const logged = JSON.stringify(
          (host.appLogs() as Array<{ method?: string }>).filter(
            (e) => !/Setting(Update|Updated)$/.test(e.method ?? ''),
          ),
        );
        assert.match(logged, /status: the provider check failed/);
        assert.doesNotMatch(logged, /s3cret-in-url/, 'nor in what the app logged');

        const viewId = await openGet(cid);
        const answer = await host.submitViewValues(carol, viewId, { ipfs_password: PASSWORD });
        assert.deepEqual(answer.errors, { ipfs_cid: 'The IPFS provider cannot be reached.' });

        const before = seen(host, alice).length;
        const opened = await host.runSlashCommand(alice, host.general, '/ipfs put');
        const values = { ipfs_password: PASSWORD, ipfs_password_confirm: PASSWORD };
        await host.submitViewValues(alice, opened.opened[0].id, values);
        const told = await host.waitFor(
          () =>
            seen(host, alice)
              .slice(before)
              .find((text) => text.startsWith('❌')),
          60_000,
        );
        assert.match(told, /was not stored: The IPFS provider cannot be reached\. The file in chat is unchanged\./);
      } finally {
        await host.setAppSetting('ipfs_api_url', node.apiUrl);
      }
    },
  );

  await t.test(
    'a KDF cost too slow for the 5 s form: the form closes at once, the password is checked after',
    async () => {
      await host.setAppSetting('kdf_cost', 19);
      try {
        const bytes = crypto.randomBytes(10_000);
        host.uploadFile(alice, host.general, { name: 'costly.bin', bytes });
        const { cid: costly } = await storeThroughCommand(host, alice, host.general, PASSWORD);
        const wrongView = await openGet(costly);
        const toldBefore = seen(host, carol).length;
        const wrong = await host.submitViewValues(carol, wrongView, { ipfs_password: 'not-the-password' });
        assert.deepEqual(wrong.errors, {}, 'no scrypt inside the form');
        assert.ok(wrong.ms < 1500, `answered in ${wrong.ms} ms`);
        const told = await host.waitFor(
          () =>
            seen(host, carol)
              .slice(toldBefore)
              .find((text) => text.startsWith('❌')),
          60_000,
        );
        assert.match(told, /could not be retrieved: Wrong password for this file/);
        const got = await retrieveThroughCommand(host, carol, host.general, costly, PASSWORD);
        assert.ok(got.bytes.equals(bytes));
      } finally {
        await host.setAppSetting('kdf_cost', 17);
      }
    },
  );

  await t.test(
    'a crafted header with r 8, p 4 at logN 18 (4× the form budget) is not derived inside the form',
    async () => {
      // the KDF bytes of a real object changed: as costly as logN 20, and no password fits (altered parameters)
      const object = Buffer.from(await ipfs.cat(cid));
      object[10] = 18;
      object[11] = 8;
      object[12] = 4;
      const crafted = await ipfs.add(object);
      const erin = host.addUser({ username: 'erin' });
      const opened = await host.runSlashCommand(erin, host.general, `/ipfs get ${crafted}`);
      const toldBefore = seen(host, erin).length;
      const answer = await host.submitViewValues(erin, opened.opened[0].id, { ipfs_password: PASSWORD });
      assert.deepEqual(answer.errors, {}, 'no scrypt inside the form');
      assert.ok(answer.ms < 1500, `answered in ${answer.ms} ms`);
      const told = await host.waitFor(
        () =>
          seen(host, erin)
            .slice(toldBefore)
            .find((text) => text.startsWith('❌')),
        60_000,
      );
      assert.match(told, /could not be retrieved: Wrong password for this file/);
    },
  );

  await t.test('repeated wrong passwords make the next try wait, like a login form', async () => {
    const frank = host.addUser({ username: 'frank' });
    const opened = await host.runSlashCommand(frank, host.general, `/ipfs get ${cid}`);
    const viewId = opened.opened[0].id;
    for (let i = 0; i < 3; i++) {
      const wrong = await host.submitViewValues(frank, viewId, { ipfs_password: `wrong-guess-${i}` });
      assert.deepEqual(wrong.errors, { ipfs_password: 'Wrong password for this file.' });
    }
    const throttled = await host.submitViewValues(frank, viewId, { ipfs_password: PASSWORD });
    assert.match(throttled.errors.ipfs_password ?? '', /^Too many wrong passwords: try again in [1-5] s\.$/);
    assert.ok(throttled.ms < 1000, `refused in ${throttled.ms} ms, before any derivation`);
    const others = await retrieveThroughCommand(host, carol, host.general, cid, PASSWORD);
    assert.ok(others.bytes.equals(bytes), 'other users are not slowed down');
    await host.closeView(frank, viewId);
  });

  await t.test('help, and anything unknown shows help', async () => {
    for (const line of ['/ipfs help', '/ipfs', '/ipfs frobnicate']) {
      const answer = await host.runSlashCommand(alice, host.general, line);
      assert.match(answer.ephemeral.map((m) => m.text).join(), /`\/ipfs put`/, line);
    }
  });

  await t.test('a user whose language is Portuguese is answered in Portuguese', async () => {
    const joao = host.addUser({ username: 'joao', language: 'pt-BR' });
    const answer = await host.runSlashCommand(joao, host.general, '/ipfs history nada.txt');
    assert.match(answer.ephemeral.map((m) => m.text).join(), /nada\.txt/);
    assert.doesNotMatch(answer.ephemeral.map((m) => m.text).join(), /You have no file/);
  });

  await t.test('admin settings: deliver into the room, and tell the CID only to the user', async () => {
    await host.setAppSetting('delivery', 'room');
    await host.setAppSetting('announce', 'user');
    const file = crypto.randomBytes(20_000);
    host.uploadFile(alice, host.general, { name: 'notes.bin', bytes: file });
    const messagesBefore = host.messages(host.general.id).length;
    const { cid: stored } = await storeThroughCommand(host, alice, host.general, PASSWORD);
    assert.equal(host.messages(host.general.id).length, messagesBefore, 'no thread reply was posted');
    const got = await retrieveThroughCommand(host, carol, host.general, stored, PASSWORD);
    assert.equal(got.roomId, host.general.id);
    assert.ok(got.bytes.equals(file));
  });

  await t.test('the app logged no errors for any of this', () => {
    assert.deepEqual(
      host
        .appErrors()
        .filter((line) => !/provider_unreachable|content_not_found|foreign_object|invalid_cid/.test(line)),
      [],
    );
  });
}
