import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pickLanguage, translate } from '../../src/i18n/translate';
import { formatBytes } from '../../src/ui/format';
import { subcommandFor, SUBCOMMANDS } from '../../src/commands/subcommands';

describe('languages and text', () => {
  test("Rocket.Chat's language tags map to the four languages the app speaks", () => {
    assert.equal(pickLanguage('pt-BR'), 'pt-BR');
    assert.equal(pickLanguage('pt'), 'pt-BR');
    assert.equal(pickLanguage('de-AT'), 'de');
    assert.equal(pickLanguage('es_ES'), 'es');
    assert.equal(pickLanguage('fr'), undefined);
    assert.equal(pickLanguage(undefined), undefined);
  });

  test('placeholders are filled and a missing translation falls back to English', () => {
    assert.equal(translate('en', 'error_password_too_short', { min: 8 }), 'Use at least 8 characters.');
    assert.match(translate('de', 'error_password_too_short', { min: 8 }), /8/);
    assert.equal(translate('es', 'no_such_key_anywhere'), 'no_such_key_anywhere');
  });

  test('sizes are shown with binary units', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(1023), '1023 B');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(25 * 1024 * 1024), '25.0 MiB');
  });

  test('subcommands come from a table and anything unknown shows help', () => {
    assert.deepEqual(Object.keys(SUBCOMMANDS).sort(), [
      'archive',
      'get',
      'help',
      'history',
      'list',
      'open',
      'put',
      'revoke',
      'rm',
      'share',
      'status',
      'unshare',
    ]);
    assert.equal(subcommandFor('PUT'), SUBCOMMANDS.put);
    assert.equal(subcommandFor('frobnicate'), SUBCOMMANDS.help);
    assert.equal(subcommandFor(undefined), SUBCOMMANDS.help);
  });
});
