import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { ProviderNotConfiguredError, readConfig } from '../../src/settings/config';
import { SettingId, SETTINGS } from '../../src/settings/settings';

/** Just enough of IRead for settings: values the admin set, else each setting's package value. */
function readWith(values: Partial<Record<SettingId, unknown>>): IRead {
  const defaults = Object.fromEntries(SETTINGS.map((setting) => [setting.id, setting.packageValue]));
  const settings = { getValueById: (id: string) => Promise.resolve({ ...defaults, ...values }[id]) };
  return { getEnvironmentReader: () => ({ getSettings: () => settings }) } as unknown as IRead;
}

describe('admin settings', () => {
  test('defaults: self-hosted Kubo on loopback, no auth, 20 MiB, scrypt 2^17, DM delivery, thread reply', async () => {
    const config = await readConfig(readWith({}));
    assert.equal(config.provider.apiUrl, 'http://127.0.0.1:5001');
    assert.deepEqual(config.provider.auth, { kind: 'none' });
    assert.equal(config.maxFileBytes, 20 * 1024 * 1024);
    assert.equal(config.kdfLogN, 17);
    assert.equal(config.delivery, 'dm');
    assert.equal(config.announce, 'thread');
  });

  test('Infura uses Basic auth with the project id and secret', async () => {
    const config = await readConfig(
      readWith({ [SettingId.Provider]: 'infura', [SettingId.Username]: 'pid', [SettingId.Password]: 'secret' }),
    );
    assert.equal(config.provider.apiUrl, 'https://ipfs.infura.io:5001');
    assert.deepEqual(config.provider.auth, { kind: 'basic', username: 'pid', password: 'secret' });
  });

  test('Filebase uses the bearer token, with a pasted "Bearer " prefix removed', async () => {
    const config = await readConfig(
      readWith({ [SettingId.Provider]: 'filebase', [SettingId.BearerToken]: 'Bearer tok' }),
    );
    assert.equal(config.provider.apiUrl, 'https://rpc.filebase.io');
    assert.deepEqual(config.provider.auth, { kind: 'bearer', token: 'tok' });
  });

  test('a custom provider without a URL is reported as not configured', async () => {
    await assert.rejects(readConfig(readWith({ [SettingId.Provider]: 'custom' })), ProviderNotConfiguredError);
  });

  test('out-of-range numbers are brought into their documented range, trailing slashes dropped', async () => {
    const config = await readConfig(
      readWith({ [SettingId.KdfCost]: 30, [SettingId.MaxFileSizeMb]: 0, [SettingId.ApiUrl]: 'http://node:5001//' }),
    );
    assert.equal(config.kdfLogN, 20);
    assert.equal(config.maxFileBytes, 1024 * 1024);
    assert.equal(config.provider.apiUrl, 'http://node:5001');
  });

  test('no admin setting raises the file size past what the engine survives (32 MB)', async () => {
    const config = await readConfig(readWith({ [SettingId.MaxFileSizeMb]: 100 }));
    assert.equal(config.maxFileBytes, 32 * 1024 * 1024);
  });

  test('every setting has a label and description key and secrets are PASSWORD settings, never public', () => {
    for (const setting of SETTINGS) {
      assert.equal(setting.i18nLabel, setting.id);
      assert.equal(setting.i18nDescription, `${setting.id}_description`);
      assert.equal(setting.public, false);
    }
    const types = Object.fromEntries(SETTINGS.map((setting) => [setting.id, setting.type]));
    assert.equal(types[SettingId.Password], 'password');
    assert.equal(types[SettingId.BearerToken], 'password');
  });
});
