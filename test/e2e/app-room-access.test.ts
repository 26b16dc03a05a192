import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { RoomType, type IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import type { WorkspaceHost } from '../../dev/host';
import { seen, startAppWorkspace, storeThroughCommand } from '../support/appWorkspace';

const PASSWORD = 'quiet-Harbor-41-lantern';
const SECRET_NAME = 'salaries-2027.xlsx';

/**
 * Issue #9: Rocket.Chat checks room access for slash commands but not for UI interactions, whose room and message
 * are whatever the client sent. bob is in #general only; #hr (private) and the alice–carol DM are not his.
 */
test('interactions act only on rooms their user may read', async (t) => {
  const workspace = await startAppWorkspace();
  try {
    await cases(t, workspace.host);
  } finally {
    await workspace.stop();
  }
});

interface World {
  alice: IUser;
  bob: IUser;
  carol: IUser;
  hr: IRoom;
  dm: IRoom;
}

async function cases(t: TestContext, host: WorkspaceHost): Promise<void> {
  const alice = host.addUser({ username: 'alice' });
  const bob = host.addUser({ username: 'bob' });
  const carol = host.addUser({ username: 'carol' });
  const hr = host.addRoom({ name: 'hr', type: RoomType.PRIVATE_GROUP, members: [alice, carol] });
  const dm = host.addRoom({ type: RoomType.DIRECT_MESSAGE, members: [alice, carol] });
  const world = { alice, bob, carol, hr, dm };
  const hrFile = host.uploadFile(alice, hr, { name: SECRET_NAME, bytes: Buffer.from('pay scales') });
  const dmFile = host.uploadFile(alice, dm, { name: 'between-us.txt', bytes: Buffer.from('just us') });
  const bobsFile = host.uploadFile(bob, host.general, { name: 'bobs-notes.txt', bytes: Buffer.from('mine') });

  const refused = async (what: string, click: () => Promise<{ opened: unknown[] }>): Promise<void> => {
    await t.test(`refused: ${what}`, async () => {
      const before = seen(host, bob).length;
      const answer = await click();
      assert.equal(answer.opened.length, 0, 'no form opens');
      const told = await host.waitFor(() => seen(host, bob).slice(before).join('\n'), 10_000);
      assert.match(told, /You cannot use this in that room: you are not a member of it, or it does not exist/);
      assertNothingOfHrShownTo(host, bob);
    });
  };

  await refused("Store on IPFS with #hr's own file message, naming #hr", () =>
    host.clickMessageAction(bob, hrFile, 'ipfs_store_message_file'),
  );
  await refused('Store on IPFS naming #hr, with his own file message from #general', () =>
    host.clickMessageAction(bob, bobsFile, 'ipfs_store_message_file', { room: hr }),
  );
  await refused("Store on IPFS naming #general, with #hr's file message", () =>
    host.clickMessageAction(bob, hrFile, 'ipfs_store_message_file', { room: host.general }),
  );
  await refused("Store on IPFS on the alice–carol DM's file", () =>
    host.clickMessageAction(bob, dmFile, 'ipfs_store_message_file'),
  );

  await t.test('members still store from the action: carol in #hr, alice in her DM', async () => {
    for (const [user, message] of [
      [carol, hrFile],
      [alice, dmFile],
    ] as const) {
      const answer = await host.clickMessageAction(user, message, 'ipfs_store_message_file');
      assert.equal(answer.opened.length, 1, `${user.username}'s store form opens`);
      assert.ok(JSON.stringify(answer.opened[0].blocks).includes(message.file?.name ?? '?'), 'with the file chosen');
      await host.closeView(user, answer.opened[0].id);
    }
  });

  await directoryCases(t, host, world);
  await submitCases(t, host, world);
}

/** With delivery into the room, the directory panel's Get must post where `/ipfs list` ran, not where it is told. */
async function directoryCases(t: TestContext, host: WorkspaceHost, { bob, hr }: World): Promise<void> {
  await t.test(
    "the directory's Get delivers into the room the panel was opened in, whatever room it names",
    async () => {
      await host.setAppSetting('delivery', 'room');
      try {
        const { cid } = await storeThroughCommand(host, bob, host.general, PASSWORD);
        const panel = (await host.runSlashCommand(bob, host.general, '/ipfs list')).opened[0];
        const uploadsBefore = host.uploads().length;
        const toldBefore = seen(host, bob).length;
        await host.blockAction(
          bob,
          { viewId: panel.id, room: hr },
          `ipfs_dir_file_${cid}`,
          'ipfs_dir_file_menu',
          `get|${cid}`,
        );
        await host.waitFor(
          () =>
            seen(host, bob)
              .slice(toldBefore)
              .find((text) => text.startsWith('✅')),
          60_000,
        );
        const posted = host.uploads().slice(uploadsBefore);
        assert.equal(posted.length, 1, `one file posted (told: ${seen(host, bob).slice(toldBefore).join(' | ')})`);
        assert.equal(posted[0].roomId, host.general.id, 'into #general, not #hr');
        assert.ok(
          !host.messages(hr.id).some((m) => m.sender.username === 'ipfs-storage.bot'),
          'the bot wrote nothing in #hr',
        );
        await host.closeView(bob, panel.id);
      } finally {
        await host.setAppSetting('delivery', 'dm');
      }
    },
  );
}

async function submitCases(t: TestContext, host: WorkspaceHost, { alice, bob, carol, hr }: World): Promise<void> {
  await t.test('a form submitted after its user left the room is refused, and nothing is stored', async () => {
    const form = (await host.runSlashCommand(carol, hr, '/ipfs put')).opened[0];
    assert.ok(form, 'carol, a member, gets the form');
    const members = host.ws.rooms.get(hr.id)?.userIds ?? [];
    members.splice(members.indexOf(carol.id), 1);
    try {
      const answer = await host.submitViewValues(carol, form.id, {
        ipfs_password: PASSWORD,
        ipfs_password_confirm: PASSWORD,
      });
      assert.match(answer.errors.ipfs_file ?? '', /You cannot use this in that room/);
      const listed = await host.runSlashCommand(carol, host.general, '/ipfs list');
      assert.ok(!JSON.stringify(listed.opened[0].blocks).includes(SECRET_NAME), 'nothing stored');
      await host.closeView(carol, listed.opened[0].id);
    } finally {
      members.push(carol.id);
      await host.closeView(carol, form.id);
    }
  });

  await t.test("closing someone else's form does not forget it", async () => {
    const form = (await host.runSlashCommand(alice, hr, '/ipfs put')).opened[0];
    const contexts = () => JSON.stringify(host.persistenceDump()).split(`view:${form.id}`).length - 1;
    assert.ok(contexts() > 0, "the form's context is kept while it is open");
    host.ws.screen(bob.id).views.set(form.id, form); // a forged close from bob names alice's view id
    await host.closeView(bob, form.id);
    assert.ok(contexts() > 0, "bob's close did not remove it");
    await host.closeView(alice, form.id);
    await host.waitFor(() => contexts() === 0, 10_000);
  });
}

/** Nothing bob saw (chat, forms, panels) names #hr's file or its room. */
function assertNothingOfHrShownTo(host: WorkspaceHost, bob: IUser): void {
  const everything = JSON.stringify([seen(host, bob), host.openViews(bob)]);
  assert.ok(!everything.includes(SECRET_NAME), 'the file name is not shown');
  assert.ok(!everything.includes('between-us.txt'), "the DM's file name is not shown");
}
