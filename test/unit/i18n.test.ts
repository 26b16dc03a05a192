/**
 * The i18n catalogs stay complete and in step: every key the code uses exists in every language, all languages
 * have English's keys, and no translation loses a placeholder or the markdown around it. The used keys are read
 * from the source (TypeScript AST), so a new `t('new_key')` without translations fails here.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { LANGUAGES } from '../../src/i18n/translate';
import { SETTINGS } from '../../src/settings/settings';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SETTINGS_FILE = 'src/settings/settings.ts';
/** Properties whose value Rocket.Chat or the app looks up in the catalogs. */
const I18N_PROPERTIES = new Set(['labelI18n', 'i18nLabel', 'i18nDescription', 'i18nParamsExample']);
const ERROR_KEY = /^error_[a-z_]+$/;

type Catalog = Record<string, unknown>;
type Source = 't()' | 'translate()' | 'property' | 'error literal' | 'UserFacingError super()' | 'settings';

interface Usage {
  key: string;
  where: string;
  source: Source;
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as unknown;
}

function catalog(language: string): Catalog {
  return readJson(`i18n/${language}.json`) as Catalog;
}

function tsFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return tsFiles(path);
    return entry.isFile() && entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Select settings by id, so `${id}_${value}` templates can be expanded to every value's key. */
const SELECT_VALUES = new Map(SETTINGS.map((s) => [s.id, (s.values ?? []).map((v) => v.key)]));

/** Keys a key-valued expression can evaluate to; `undefined` when a template cannot be expanded. */
function keysOf(expr: ts.Expression): string[] | undefined {
  if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return [expr.text];
  if (ts.isParenthesizedExpression(expr)) return keysOf(expr.expression);
  if (ts.isConditionalExpression(expr)) return joinKeys(keysOf(expr.whenTrue), keysOf(expr.whenFalse));
  if (
    ts.isBinaryExpression(expr) &&
    [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(expr.operatorToken.kind)
  ) {
    return joinKeys(keysOf(expr.left), keysOf(expr.right));
  }
  if (ts.isTemplateExpression(expr)) {
    // `ipfs_provider_${preset}`: the prefix names a select setting whose values complete the key.
    const [span] = expr.templateSpans;
    const values = SELECT_VALUES.get(expr.head.text.replace(/_$/, ''));
    if (
      expr.templateSpans.length !== 1 ||
      span.literal.text !== '' ||
      !expr.head.text.endsWith('_') ||
      !values?.length
    ) {
      return undefined;
    }
    return values.map((value) => `${expr.head.text}${value}`);
  }
  return []; // A variable such as `error.i18nKey`: its keys are found where they are written.
}

function joinKeys(a: string[] | undefined, b: string[] | undefined): string[] | undefined {
  return a && b ? [...a, ...b] : undefined;
}

function calleeName(call: ts.CallExpression): string | undefined {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

function propertyName(node: ts.Node): string | undefined {
  if ((ts.isPropertyAssignment(node) || ts.isPropertyDeclaration(node)) && ts.isIdentifier(node.name)) {
    return node.name.text;
  }
  return undefined;
}

/** Class name → base class name, across all scanned files, to find subclasses of UserFacingError. */
function baseClasses(sources: ts.SourceFile[]): Map<string, string> {
  const bases = new Map<string, string>();
  const visit = (node: ts.Node): void => {
    if (ts.isClassDeclaration(node) && node.name) {
      const extendsClause = node.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword);
      const base = extendsClause?.types[0]?.expression;
      if (base && ts.isIdentifier(base)) bases.set(node.name.text, base.text);
    }
    ts.forEachChild(node, visit);
  };
  sources.forEach(visit);
  return bases;
}

function extendsUserFacingError(name: string | undefined, bases: Map<string, string>): boolean {
  for (let current = name, depth = 0; current && depth < 20; current = bases.get(current), depth++) {
    if (bases.get(current) === 'UserFacingError') return true;
  }
  return false;
}

/** Every i18n key the app's code uses, with where it is used; unexpandable key templates are returned apart. */
function usedKeys(): { usages: Usage[]; unresolved: string[] } {
  const paths = ['IpfsStorageApp.ts', ...tsFiles('src')];
  const sources = paths.map((path) =>
    ts.createSourceFile(path, readFileSync(join(ROOT, path), 'utf8'), ts.ScriptTarget.Latest, true),
  );
  const bases = baseClasses(sources);
  const usages: Usage[] = [];
  const unresolved: string[] = [];
  for (const file of sources) {
    const record = (expr: ts.Expression | undefined, source: Source): void => {
      if (!expr) return;
      const where = `${file.fileName}:${file.getLineAndCharacterOfPosition(expr.getStart()).line + 1}`;
      const keys = keysOf(expr);
      // settings.ts builds `${id}_description` itself; those keys are checked through SETTINGS below.
      if (!keys && file.fileName !== SETTINGS_FILE) unresolved.push(`${where}: ${expr.getText()}`);
      keys?.forEach((key) => usages.push({ key, where, source }));
    };
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const name = calleeName(node);
        if (name === 't') record(node.arguments[0], 't()');
        if (name === 'translate') record(node.arguments[1], 'translate()');
        if (node.expression.kind === ts.SyntaxKind.SuperKeyword) {
          const cls = ts.findAncestor(node, ts.isClassDeclaration);
          const first = node.arguments[0];
          if (extendsUserFacingError(cls?.name?.text, bases) && first && ts.isStringLiteral(first)) {
            record(first, 'UserFacingError super()');
          }
        }
      }
      const property = propertyName(node);
      if (property && I18N_PROPERTIES.has(property)) {
        record((node as ts.PropertyAssignment | ts.PropertyDeclaration).initializer, 'property');
      }
      if (ts.isStringLiteral(node) && ERROR_KEY.test(node.text)) record(node, 'error literal');
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  for (const setting of SETTINGS) {
    const where = `${SETTINGS_FILE} (setting ${setting.id})`;
    const keys = [setting.i18nLabel, setting.i18nDescription, ...(setting.values ?? []).map((v) => v.i18nLabel)];
    keys.filter((key): key is string => !!key).forEach((key) => usages.push({ key, where, source: 'settings' }));
  }
  return { usages, unresolved };
}

/** Values of app.json fields that name an i18n key (the manifest has none today: name and description are shown as written). */
function appJsonKeys(value: unknown, field = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => appJsonKeys(item, field));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([name, inner]) => appJsonKeys(inner, name));
  }
  return /i18n/i.test(field) && typeof value === 'string' ? [value] : [];
}

const placeholders = (text: string): string[] =>
  [...new Set(Array.from(text.matchAll(/\{(\w+)\}/g), (m) => m[1]))].sort();
const count = (text: string, pattern: RegExp): number => (text.match(pattern) ?? []).length;
const emoji = (text: string): string[] => (text.match(/\p{Extended_Pictographic}/gu) ?? []).sort();

const en = catalog('en');
const catalogs = new Map(LANGUAGES.map((language) => [language, catalog(language)]));
const { usages, unresolved } = usedKeys();

void describe('i18n catalogs', () => {
  void test('the key scanner finds keys of every kind it looks for', () => {
    for (const source of ['t()', 'property', 'error literal', 'UserFacingError super()', 'settings'] as Source[]) {
      assert.ok(
        usages.some((usage) => usage.source === source),
        `no key found from ${source}: the scanner is broken`,
      );
    }
    assert.ok(
      usages.some((usage) => usage.key === 'ipfs_provider_kubo' && usage.source === 't()'),
      'template not expanded',
    );
  });

  void test('every key template in the code can be expanded', () => {
    assert.deepEqual(unresolved, []);
  });

  void test('i18n/ holds exactly the languages the app speaks', () => {
    const files = readdirSync(join(ROOT, 'i18n')).filter((name) => name.endsWith('.json'));
    assert.deepEqual(files.map((name) => name.replace(/\.json$/, '')).sort(), [...LANGUAGES].sort());
  });

  for (const [language, messages] of catalogs) {
    void describe(language, () => {
      void test('has every key the code uses', () => {
        const missing = usages.filter((usage) => !(usage.key in messages)).map((u) => `${u.key} (${u.where})`);
        assert.deepEqual([...new Set(missing)], []);
      });

      void test('has exactly the keys of en.json, in the same order', () => {
        assert.deepEqual(
          Object.keys(en).filter((key) => !(key in messages)),
          [],
          'missing',
        );
        assert.deepEqual(
          Object.keys(messages).filter((key) => !(key in en)),
          [],
          'extra',
        );
        assert.deepEqual(Object.keys(messages), Object.keys(en), 'order differs from en.json');
      });

      void test('has no empty value', () => {
        const empty = Object.entries(messages).filter(([, value]) => typeof value !== 'string' || !value.trim());
        assert.deepEqual(
          empty.map(([key]) => key),
          [],
        );
      });

      void test('keeps the placeholders, markdown and emoji of English', () => {
        for (const [key, english] of Object.entries(en)) {
          const text = messages[key];
          if (typeof text !== 'string' || typeof english !== 'string') continue;
          assert.deepEqual(placeholders(text), placeholders(english), `${language} ${key}: placeholders`);
          assert.equal(count(text, /`/g), count(english, /`/g), `${language} ${key}: backticks`);
          assert.equal(count(text, /\*/g), count(english, /\*/g), `${language} ${key}: *bold* markers`);
          assert.equal(count(text, /\n/g), count(english, /\n/g), `${language} ${key}: line breaks`);
          assert.deepEqual(emoji(text), emoji(english), `${language} ${key}: emoji`);
        }
      });

      void test("covers app.json's translatable fields", () => {
        const missing = appJsonKeys(readJson('app.json')).filter((key) => !(key in messages));
        assert.deepEqual(missing, []);
      });
    });
  }
});
