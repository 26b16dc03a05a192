/** Text users control is shown literally in Rocket.Chat markdown, and names are checked before they are stored. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { describeError } from '../../src/ui/describeError';
import { translatorFor } from '../../src/i18n/translate';
import { FileNotFoundError, InvalidDurationError, UnknownUserError } from '../../src/sharing/errors';
import { checkedFileName, InvalidNameError, NAME_MAX_LENGTH, NameTooLongError } from '../../src/sharing/names';
import { markdownLiteral, SHOWN_TEXT_MAX } from '../../src/ui/format';

const t = translatorFor('en');

describe('markdownLiteral', () => {
  test('markup, links and mentions end up inside one code span, where Rocket.Chat reads none of it', () => {
    for (const text of ['*bold* _it_ ~strike~', '[click](https://evil.example)', '@all #general :smile: <t:1:R>']) {
      assert.equal(markdownLiteral(text), `\`${text}\``);
    }
  });

  test('a backtick cannot close the span; line breaks, controls and direction overrides cannot show', () => {
    assert.equal(markdownLiteral('a`b'), '`aˋb`');
    assert.equal(markdownLiteral('line\n> quoted\r\u0000x'), '`line > quoted x`');
    assert.equal(markdownLiteral('invoice\u202Efdp.exe'), '`invoice fdp.exe`');
    assert.equal(markdownLiteral(''), '“”');
  });

  test('long text is cut, counting characters, not UTF-16 units', () => {
    const shown = markdownLiteral('😀'.repeat(500));
    assert.equal(Array.from(shown.slice(1, -1)).length, SHOWN_TEXT_MAX);
    assert.ok(shown.endsWith('…`'));
    assert.equal(markdownLiteral('x'.repeat(100_000)).length, SHOWN_TEXT_MAX + 2);
  });
});

describe('errors that echo what the user typed', () => {
  test('file names, durations and usernames are shown literally', () => {
    assert.equal(
      describeError(t, new FileNotFoundError('*x*[a](http://b)')),
      'You have no file called `*x*[a](http://b)`, and it is not a CID.',
    );
    assert.match(describeError(t, new InvalidDurationError('@here')), /^`@here` is not a duration/);
    assert.equal(describeError(t, new UnknownUserError('@_bob_')), 'There is no user called `@_bob_`.');
  });

  test('a 100 000 character duration is echoed cut to a readable length', () => {
    assert.ok(describeError(t, new InvalidDurationError('9'.repeat(100_000))).length < 400);
  });
});

describe('file names', () => {
  test('are stored trimmed and normalised', () => {
    assert.equal(checkedFileName('  re\u0301sume\u0301.pdf '), 'résumé.pdf');
    assert.equal(checkedFileName('report *final* [v2].pdf'), 'report *final* [v2].pdf');
  });

  test('with line breaks, control or direction characters, or empty, are refused', () => {
    for (const name of ['a\nb.txt', 'tab\there', 'nul\u0000', 'evil\u202Etxt.exe', 'sep\u2028x', '   ']) {
      assert.throws(() => checkedFileName(name), InvalidNameError, JSON.stringify(name));
    }
  });

  test(`longer than ${NAME_MAX_LENGTH} characters are refused`, () => {
    assert.equal(checkedFileName('é'.repeat(NAME_MAX_LENGTH)).length, NAME_MAX_LENGTH);
    assert.throws(() => checkedFileName('a'.repeat(NAME_MAX_LENGTH + 1)), NameTooLongError);
  });
});
