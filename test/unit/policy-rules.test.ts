import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { roomFactsOf, unreadableKind, UnreadableKind } from '../../src/policy/facts';
import { likelyMediaTypes } from '../../src/policy/mediaTypes';
import {
  AnnounceWhere,
  chooseAnnounce,
  chooseDelivery,
  fitMessage,
  mediaTypeRefusedBy,
  predictedDirectRoom,
  type RoomFacts,
  whyBotCannotPost,
  whyUploadRefused,
} from '../../src/policy/rules';
import type { IRead } from '@rocket.chat/apps-engine/definition/accessors';
import {
  policyFrom,
  readWorkspacePolicy,
  ROCKET_CHAT_DEFAULTS,
  ServerSettingId,
} from '../../src/policy/workspacePolicy';
import { DeliveryTarget } from '../../src/settings/settings';

const channel: RoomFacts = {
  name: 'general',
  direct: false,
  exists: true,
  readOnly: false,
  botMayPostReadOnly: false,
  encrypted: false,
  botMuted: false,
};
const dm: RoomFacts = { ...channel, name: '', direct: true };
const textFile = { size: 1000, mediaTypes: ['text/plain'] };

describe('workspace policy values', () => {
  test('settings the app cannot read keep Rocket.Chat defaults (SVG blacklisted, 100 MB, 5000 characters)', () => {
    assert.deepEqual(policyFrom({}), ROCKET_CHAT_DEFAULTS);
    assert.equal(ROCKET_CHAT_DEFAULTS.mediaTypeBlackList, 'image/svg+xml');
    assert.equal(ROCKET_CHAT_DEFAULTS.maxUploadBytes, 104_857_600);
  });

  test('a setting the server refuses to show (missing, hidden) keeps its default; the others are read', async () => {
    const server: Record<string, unknown> = { FileUpload_Enabled_Direct: false, Threads_enabled: false };
    const settings = {
      getValueById: (id: string) =>
        id in server ? Promise.resolve(server[id]) : Promise.reject(new Error(`The setting "${id}" is not readable.`)),
    };
    const read = { getEnvironmentReader: () => ({ getServerSettings: () => settings }) } as unknown as IRead;
    assert.deepEqual(await readWorkspacePolicy(read), {
      ...ROCKET_CHAT_DEFAULTS,
      uploadsInDirectMessages: false,
      threadsEnabled: false,
    });
  });

  test('a negative maximum upload size means no limit; numbers stored as text are read', () => {
    assert.equal(policyFrom({ [ServerSettingId.MaxUploadSize]: -1 }).maxUploadBytes, Infinity);
    assert.equal(policyFrom({ [ServerSettingId.MaxUploadSize]: '2048' }).maxUploadBytes, 2048);
    assert.equal(policyFrom({ [ServerSettingId.MaxMessageLength]: 'junk' }).maxMessageLength, 5000);
    assert.equal(policyFrom({ [ServerSettingId.UploadsEnabled]: false }).uploadsEnabled, false);
  });
});

describe('media type lists, as fileUploadIsValidContentTypeFromSettings decides', () => {
  test('the default blacklist refuses SVG and, like Rocket.Chat, an empty type', () => {
    assert.equal(mediaTypeRefusedBy('image/svg+xml', '', 'image/svg+xml'), ServerSettingId.MediaTypeBlackList);
    assert.equal(mediaTypeRefusedBy('', '', 'image/svg+xml'), ServerSettingId.MediaTypeBlackList);
    assert.equal(mediaTypeRefusedBy('image/png', '', 'image/svg+xml'), undefined);
  });

  test('wildcards and spaces in the lists; "*" means no whitelist', () => {
    assert.equal(mediaTypeRefusedBy('image/png', '', 'text/html, image/*'), ServerSettingId.MediaTypeBlackList);
    assert.equal(mediaTypeRefusedBy('text/plain', 'image/*, application/pdf', ''), ServerSettingId.MediaTypeWhiteList);
    assert.equal(mediaTypeRefusedBy('application/pdf', 'image/*, application/pdf', ''), undefined);
    assert.equal(mediaTypeRefusedBy('text/plain', '*', ''), undefined);
  });

  test("a file is checked under its name's type and its recorded type", () => {
    assert.deepEqual(likelyMediaTypes('logo.svg', 'application/octet-stream'), [
      'image/svg+xml',
      'application/octet-stream',
    ]);
    assert.deepEqual(likelyMediaTypes('notes', ''), ['application/octet-stream']);
  });
});

describe('whether the bot may post or upload', () => {
  test('read-only rooms refuse the bot unless it may post there', () => {
    assert.equal(whyBotCannotPost(ROCKET_CHAT_DEFAULTS, { ...channel, readOnly: true })?.key, 'policy_read_only');
    assert.equal(
      whyBotCannotPost(ROCKET_CHAT_DEFAULTS, { ...channel, readOnly: true, botMayPostReadOnly: true }),
      undefined,
    );
  });

  test('an encrypted room refuses the bot only while E2E is on and unencrypted messages are not allowed', () => {
    const encrypted = { ...channel, encrypted: true };
    const e2eOn = { ...ROCKET_CHAT_DEFAULTS, e2eEnabled: true };
    assert.equal(whyBotCannotPost(ROCKET_CHAT_DEFAULTS, encrypted), undefined);
    assert.deepEqual(whyBotCannotPost(e2eOn, encrypted)?.params?.setting, 'E2E_Allow_Unencrypted_Messages');
    assert.equal(whyBotCannotPost({ ...e2eOn, e2eAllowUnencrypted: true }, encrypted), undefined);
  });

  test('a direct room not created yet is predicted encrypted when new DMs are encrypted by default', () => {
    const policy = { ...ROCKET_CHAT_DEFAULTS, e2eEnabled: true, e2eDefaultDirectRooms: true };
    const refusal = whyBotCannotPost(policy, predictedDirectRoom(policy));
    assert.equal(refusal?.key, 'policy_encrypted_new_dm');
    assert.equal(refusal?.params?.setting, 'E2E_Enabled_Default_DirectRooms');
    assert.equal(whyBotCannotPost(ROCKET_CHAT_DEFAULTS, predictedDirectRoom(ROCKET_CHAT_DEFAULTS)), undefined);
  });

  test('uploads: each refusal names the setting, in validateFileUpload order', () => {
    const refusal = (policy: Partial<typeof ROCKET_CHAT_DEFAULTS>, room = channel, file = textFile) =>
      whyUploadRefused({ ...ROCKET_CHAT_DEFAULTS, ...policy }, room, file)?.params?.setting;
    assert.equal(refusal({ uploadsEnabled: false }), 'FileUpload_Enabled');
    assert.equal(refusal({ uploadsInDirectMessages: false }, dm), 'FileUpload_Enabled_Direct');
    assert.equal(refusal({ uploadsInDirectMessages: false }, channel), undefined);
    assert.equal(refusal({ maxUploadBytes: 999 }), 'FileUpload_MaxFileSize');
    assert.equal(refusal({ maxUploadBytes: 1000 }), undefined);
    assert.equal(refusal({}, channel, { size: 10, mediaTypes: ['image/svg+xml'] }), 'FileUpload_MediaTypeBlackList');
    assert.equal(refusal({ e2eEnabled: true }, { ...channel, encrypted: true }), 'E2E_Allow_Unencrypted_Messages');
  });
});

describe('choices', () => {
  const no = { key: 'policy_uploads_off' };
  test('delivery: the admin choice, else the other one with the reason, else neither with both reasons', () => {
    assert.deepEqual(chooseDelivery(DeliveryTarget.DirectMessage, {}), { target: DeliveryTarget.DirectMessage });
    assert.deepEqual(chooseDelivery(DeliveryTarget.DirectMessage, { dm: no }), {
      target: DeliveryTarget.Room,
      fallbackBecause: no,
    });
    assert.deepEqual(chooseDelivery(DeliveryTarget.Room, { room: no }), {
      target: DeliveryTarget.DirectMessage,
      fallbackBecause: no,
    });
    assert.deepEqual(chooseDelivery(DeliveryTarget.Room, { room: no, dm: no }), { blocked: { dm: no, room: no } });
  });

  test('announce: in the thread; in the room when threads are off; to the user alone when the bot may not post', () => {
    assert.equal(chooseAnnounce(ROCKET_CHAT_DEFAULTS, channel).where, AnnounceWhere.Thread);
    assert.equal(chooseAnnounce({ ...ROCKET_CHAT_DEFAULTS, threadsEnabled: false }, channel).where, AnnounceWhere.Room);
    const readOnly = chooseAnnounce(ROCKET_CHAT_DEFAULTS, { ...channel, readOnly: true });
    assert.equal(readOnly.where, AnnounceWhere.UserOnly);
    assert.equal(readOnly.because?.key, 'policy_read_only');
  });

  test('bot messages are cut to the maximum message length', () => {
    assert.equal(fitMessage('hello', 5), 'hello');
    assert.equal(fitMessage('hello world', 5), 'hell…');
    assert.equal(fitMessage('hello world', 5).length, 5);
  });
});

describe('facts Rocket.Chat gives apps only as unmapped fields', () => {
  const bot = { id: 'b', username: 'ipfs-storage.bot', roles: ['app'] } as IUser;
  const room = (extra: object): IRoom =>
    ({ id: 'r', slugifiedName: 'ops', type: RoomType.CHANNEL, usernames: [], ...extra }) as unknown as IRoom;

  test('encrypted and muted come from _unmappedProperties_ (or the record itself)', () => {
    const facts = roomFactsOf(room({ _unmappedProperties_: { encrypted: true, muted: [bot.username] } }), bot, false);
    assert.equal(facts.encrypted, true);
    assert.equal(facts.botMuted, true);
    assert.equal(roomFactsOf(room({ encrypted: true }), bot, false).encrypted, true);
    assert.equal(roomFactsOf(room({}), bot, false).encrypted, false);
  });

  test('a read-only room lets the bot post when it is admin, owner or moderator, or unmuted by name', () => {
    assert.equal(roomFactsOf(room({ isReadOnly: true }), bot, false).botMayPostReadOnly, false);
    assert.equal(roomFactsOf(room({ isReadOnly: true }), bot, true).botMayPostReadOnly, true);
    assert.equal(roomFactsOf(room({ isReadOnly: true }), { ...bot, roles: ['admin'] }, false).botMayPostReadOnly, true);
    const unmuted = room({ isReadOnly: true, _unmappedProperties_: { unmuted: [bot.username] } });
    assert.equal(roomFactsOf(unmuted, bot, false).botMayPostReadOnly, true);
  });

  test('federated uploads: the MatrixRemote store, a remote federation record, or a matrix_remote_ id', () => {
    const local = { id: 'u1', store: 'GridFS:Uploads' } as never;
    assert.equal(unreadableKind(local), undefined);
    assert.equal(unreadableKind({ id: 'u1', store: 'MatrixRemote:Uploads' } as never), UnreadableKind.Federated);
    assert.equal(unreadableKind({ id: 'matrix_remote_ab', store: 'x' } as never), UnreadableKind.Federated);
    const remote = { id: 'u1', store: 'GridFS:Uploads', _unmappedProperties_: { federation: { mxcUri: 'mxc://a/b' } } };
    assert.equal(unreadableKind(remote as never), UnreadableKind.Federated);
  });

  test('encrypted uploads: isE2EEUpload content on the upload, or an e2e message', () => {
    const e2e = {
      id: 'u1',
      store: 'GridFS:Uploads',
      _unmappedProperties_: { content: { algorithm: 'rc.v1.aes-sha2', ciphertext: 'x' } },
    };
    assert.equal(unreadableKind(e2e as never), UnreadableKind.Encrypted);
    assert.equal(
      unreadableKind({ id: 'u1', store: 'GridFS:Uploads' } as never, { type: 'e2e' }),
      UnreadableKind.Encrypted,
    );
    assert.equal(unreadableKind({ id: 'u1', store: 'GridFS:Uploads' } as never, { type: 'uj' }), undefined);
  });
});
