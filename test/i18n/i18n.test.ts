import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { matchPhrase, normalizeWords } from '../../src/domain/text.ts';
import { createInstance } from 'i18next';
import { createLocalisation, DEFAULT_LOCALES_DIR, loadResources, plainList } from '../../src/i18n/i18n.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SRC = path.join(ROOT, 'src');
const LOCALES = path.join(ROOT, 'locales');

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

function readLocale(language: string, namespace: string): Json {
  return JSON.parse(readFileSync(path.join(LOCALES, language, `${namespace}.json`), 'utf8')) as Json;
}

function namespacesOf(language: string): string[] {
  return readdirSync(path.join(LOCALES, language))
    .filter((f) => f.endsWith('.json'))
    .map((f) => path.basename(f, '.json'))
    .sort();
}

/** Every leaf of a locale file by its key path ("errors.tooLong"); an array is one leaf. */
function leaves(value: Json, prefix = ''): Map<string, Json> {
  const found = new Map<string, Json>();
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) {
      for (const [p, v] of leaves(child, prefix ? `${prefix}.${key}` : key)) found.set(p, v);
    }
  } else {
    found.set(prefix, value);
  }
  return found;
}

/** {{name}}, {{ name }}, {{name, format}} → name. */
function variables(value: Json): string[] {
  const text = (Array.isArray(value) ? value : [value]).filter((v) => typeof v === 'string').join('\n');
  return [...new Set([...text.matchAll(/\{\{\s*([^}\s,]+)[^}]*\}\}/g)].map((m) => m[1]!))].sort();
}

const languages = readdirSync(LOCALES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
const namespaces = namespacesOf('vi');
const vi = new Map(namespaces.map((ns) => [ns, readLocale('vi', ns)]));
const en = new Map(namespaces.map((ns) => [ns, readLocale('en', ns)]));

describe('locale files', () => {
  it('exist for Vietnamese and English with the same namespaces', () => {
    expect(languages).toEqual(['en', 'vi']);
    expect(namespaces).toContain('common');
    expect(namespacesOf('en')).toEqual(namespaces);
  });

  it.each(namespaces)('%s: every key in one language is in the other', (ns) => {
    const viKeys = [...leaves(vi.get(ns)!).keys()].sort();
    const enKeys = [...leaves(en.get(ns)!).keys()].sort();
    expect(viKeys.length).toBeGreaterThan(0);
    expect(
      enKeys.filter((k) => !viKeys.includes(k)),
      'in en, missing from vi',
    ).toEqual([]);
    expect(
      viKeys.filter((k) => !enKeys.includes(k)),
      'in vi, missing from en',
    ).toEqual([]);
  });

  it.each(namespaces)('%s: every value is text, and a text is empty only when it is empty in both languages', (ns) => {
    const viLeaves = leaves(vi.get(ns)!);
    const enLeaves = leaves(en.get(ns)!);
    const problems: string[] = [];
    for (const [language, own, other] of [
      ['vi', viLeaves, enLeaves],
      ['en', enLeaves, viLeaves],
    ] as const) {
      for (const [key, value] of own) {
        if (Array.isArray(value)) {
          if (value.length === 0) problems.push(`${language} ${ns}:${key} is an empty list`);
          value.forEach((item, i) => {
            if (typeof item !== 'string' || item.trim() === '')
              problems.push(`${language} ${ns}:${key}[${i}] is empty`);
          });
        } else if (typeof value !== 'string') {
          problems.push(`${language} ${ns}:${key} is not text`);
        } else if (value.trim() === '' && other.get(key) !== '') {
          problems.push(`${language} ${ns}:${key} is empty but not in the other language`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it.each(namespaces)('%s: every text uses the same {{variables}} in both languages', (ns) => {
    const enLeaves = leaves(en.get(ns)!);
    const mismatches = [...leaves(vi.get(ns)!)]
      .filter(([key]) => enLeaves.has(key))
      .map(([key, value]) => ({ key, vi: variables(value), en: variables(enLeaves.get(key)!) }))
      .filter((m) => m.vi.join() !== m.en.join());
    expect(mismatches).toEqual([]);
  });

  it('reads variables the way i18next does', () => {
    expect(variables('{{ a }} {{b, number}} {{a}} {c}')).toEqual(['a', 'b']);
  });
});

// ---- every key the code uses exists ---------------------------------------------------------------------------

interface KeyUse {
  where: string;
  namespace: string;
  /** The key path ("errors.tooLong"); for a template literal, its static prefix without the trailing dot. */
  path: string;
  template: boolean;
}

const NAMESPACE_LIKE = /^([a-z][a-zA-Z0-9]*):(.*)$/s;
const KEY_PATH = /^[A-Za-z_][\w-]*(\.[\w-]+)*$/;
const KEY_PREFIX = /^([A-Za-z_][\w-]*(\.[\w-]+)*)\.$/;

/** String and template literals in a TypeScript source that look like i18n keys ("ns:key.path", `ns:prefix.${x}`). */
function keysUsedIn(source: string, where: string, knownNamespaces: readonly string[]): KeyUse[] {
  const file = ts.createSourceFile(where, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const uses: KeyUse[] = [];
  const consider = (node: ts.Node, literal: string, template: boolean) => {
    const m = NAMESPACE_LIKE.exec(literal);
    if (!m) return;
    const [, namespace = '', rest = ''] = m;
    if (namespace === 'node') return;
    const line = file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
    const at = `${where}:${line}`;
    if (!template) {
      // "file:./data/bot.db", "https://…", "db:migrate failed: …" are not keys.
      if (KEY_PATH.test(rest)) uses.push({ where: at, namespace, path: rest, template });
      return;
    }
    if (rest === '') {
      // `telegram:${chatId}` is an id, not a key; `common:${x}` still names a namespace that must exist.
      if (knownNamespaces.includes(namespace)) uses.push({ where: at, namespace, path: '', template });
      return;
    }
    const prefix = KEY_PREFIX.exec(rest);
    if (prefix) uses.push({ where: at, namespace, path: prefix[1]!, template });
  };
  const visit = (node: ts.Node): void => {
    // Module specifiers are paths, not keys.
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) return;
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) return;
    if (ts.isImportTypeNode(node)) return;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) consider(node, node.text, false);
    else if (ts.isTemplateExpression(node)) consider(node, node.head.text, true);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return uses;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return full === path.join(SRC, 'generated') ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** The value at ns:key.path in the Vietnamese files, or undefined. An empty path is the namespace itself. */
function lookUp(namespace: string, keyPath: string): Json | undefined {
  let value: Json | undefined = vi.get(namespace);
  for (const part of keyPath === '' ? [] : keyPath.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, part))
      return undefined;
    value = value[part];
  }
  return value;
}

/** Why a use does not resolve, or null when it does. */
function problemWith(use: KeyUse): string | null {
  const name = `${use.namespace}:${use.path}${use.template ? '…' : ''}`;
  if (!namespaces.includes(use.namespace)) return `${use.where} ${name}: no namespace "${use.namespace}" in locales/vi`;
  const value = lookUp(use.namespace, use.path);
  if (value === undefined) return `${use.where} ${name}: no such key in locales/vi/${use.namespace}.json`;
  if (use.template && (value === null || typeof value !== 'object' || Array.isArray(value))) {
    return `${use.where} ${name}: a template key needs an object here`;
  }
  return null;
}

describe('i18n keys used in src/', () => {
  const uses = sourceFiles(SRC).flatMap((file) =>
    keysUsedIn(readFileSync(file, 'utf8'), path.relative(ROOT, file), namespaces),
  );

  it('finds the keys the code uses', () => {
    expect(uses.length).toBeGreaterThan(40);
    const names = uses.map((u) => `${u.namespace}:${u.path}`);
    expect(names).toContain('common:errors.phoneFormat');
    expect(names).toContain('profile:askName');
    expect(names).toContain('common:languages'); // from `common:languages.${lng}`
  });

  it('uses only keys that exist in the Vietnamese locale files', () => {
    expect(uses.map(problemWith).filter((p) => p !== null)).toEqual([]);
  });

  it('would catch a missing key, a misspelt namespace and a missing template prefix', () => {
    const source = [
      "import { readFileSync } from 'node:fs';",
      "import { text } from '../conversation/flow.ts';",
      "export const a = text('common:yes');",
      "export const b = text('common:doesNotExist');",
      "export const c = text('comon:yes');",
      'export const d = (x: string) => text(`common:languages.${x}`);',
      'export const e = (x: string) => text(`common:nothingHere.${x}`);',
      'export const f = (x: string) => text(`common:yes.${x}`);',
      "export const g = text('common:commands.back.0.x');",
      // Not keys: ids, URLs, messages, module paths.
      'export const h = (id: string) => `telegram:${id}`;',
      "export const i = 'file:./data/bot.db';",
      "export const j = 'https://api.telegram.org';",
      'export const k = (e: Error) => `db:migrate failed: ${e.message}`;',
      "export const l = await import('node:path');",
      "export type M = import('node:fs').Stats;",
    ].join('\n');
    const found = keysUsedIn(source, 'example.ts', namespaces);
    expect(found.map((u) => `${u.namespace}:${u.path}${u.template ? '…' : ''}`)).toEqual([
      'common:yes',
      'common:doesNotExist',
      'comon:yes',
      'common:languages…',
      'common:nothingHere…',
      'common:yes…',
      'common:commands.back.0.x',
    ]);
    expect(found.map((u) => problemWith(u) !== null)).toEqual([false, true, true, false, true, true, true]);
  });
});

// ---- createLocalisation --------------------------------------------------------------------------------------

describe('createLocalisation', () => {
  const localisation = createLocalisation();

  it('reads the same locale files as this test', () => {
    expect(DEFAULT_LOCALES_DIR).toBe(LOCALES);
    expect(Object.keys(loadResources()).sort()).toEqual(languages);
  });

  it('translates into Vietnamese and English', () => {
    expect(localisation.translator('vi')('common:yes')).toBe('Có');
    expect(localisation.translator('en')('common:yes')).toBe('Yes');
    expect(localisation.translator('vi')('common:errors.tooLong', { max: 500 })).toContain('500');
  });

  it('does not HTML-escape interpolated values', () => {
    const line = localisation.translator('vi')('common:summary.line', { label: 'Họ tên', value: 'Lan & "Hoa" <3' });
    expect(line).toBe('• Họ tên: Lan & "Hoa" <3');
  });

  it('falls back to Vietnamese for a key missing in English', () => {
    const resources = { vi: { common: { only: 'Chỉ tiếng Việt' } }, en: { common: {} } };
    expect(createLocalisation(resources).translator('en')('common:only')).toBe('Chỉ tiếng Việt');
  });

  it('knows the command words of both languages, with their diacritics, and typed without them', () => {
    const { vocabulary } = localisation;
    // Kept with their marks, so "đúng" (yes) and "dừng" (cancel) stay two words…
    expect(vocabulary.back).toEqual(expect.arrayContaining(['quay lại', 'trở lại', 'back']));
    expect(vocabulary.cancel).toEqual(expect.arrayContaining(['hủy', 'dừng', 'cancel']));
    expect(vocabulary.yes).toEqual(expect.arrayContaining(['có', 'đúng', 'đồng ý', 'yes']));
    expect(vocabulary.no).toEqual(expect.arrayContaining(['không', 'no']));
    expect(matchPhrase('đúng', vocabulary.cancel, vocabulary.answerWords)).toBeNull();
    // …and still matched when typed without them.
    expect(matchPhrase('quay lai', vocabulary.back, vocabulary.answerWords)).toBe('loose');
    expect(matchPhrase('tro lai', vocabulary.back, vocabulary.answerWords)).toBe('loose');
    expect(matchPhrase('huy', vocabulary.cancel, vocabulary.answerWords)).toBe('loose');
    expect(matchPhrase('co', vocabulary.yes, vocabulary.answerWords)).toBe('loose');
    expect(matchPhrase('dong y', vocabulary.yes, vocabulary.answerWords)).toBe('loose');
    expect(matchPhrase('khong', vocabulary.no, vocabulary.answerWords)).toBe('loose');
    const { answerWords, ...lists } = vocabulary;
    expect(answerWords.shorthand['ko']).toBe('không');
    expect(answerWords.trailingParticles).toEqual(expect.arrayContaining(['ạ', 'nhé']));
    for (const [name, words] of Object.entries(lists)) {
      expect(words.length, name).toBeGreaterThan(0);
      for (const word of words) {
        expect(word, name).not.toBe('');
        expect(word, name).toBe(normalizeWords(word));
      }
      expect(new Set(words).size, `${name} has duplicates`).toBe(words.length);
    }
  });

  it('never gives the same word two opposite meanings', () => {
    const { vocabulary } = localisation;
    const clash = (a: readonly string[], b: readonly string[]) => a.filter((w) => b.includes(w));
    expect(clash(vocabulary.yes, vocabulary.no)).toEqual([]);
    expect(clash(vocabulary.back, vocabulary.cancel)).toEqual([]);
    expect(clash(vocabulary.cancel, vocabulary.menu)).toEqual([]);
  });
});

describe('word lists read straight from the locale files (start-up speed)', () => {
  it('are exactly what i18next returns for every list in every language, and i18next is asked for the rest', () => {
    const resources = loadResources();
    const i18n = createInstance();
    void i18n.init({
      resources,
      lng: 'vi',
      fallbackLng: 'vi',
      ns: Object.keys(resources.vi ?? {}),
      defaultNS: 'common',
      initAsync: false,
      interpolation: { escapeValue: false },
    });
    let plain = 0;
    for (const language of Object.keys(resources)) {
      for (const namespace of namespacesOf(language)) {
        for (const [key, value] of leaves(readLocale(language, namespace))) {
          const found = plainList(resources, `${namespace}:${key}`, language);
          if (!Array.isArray(value)) {
            expect(found).toBeUndefined();
            continue;
          }
          if (found === undefined) continue; // items i18next must translate: the localisation asks i18next
          plain += 1;
          expect(found).toEqual(i18n.t(`${namespace}:${key}`, { lng: language, returnObjects: true }));
        }
      }
    }
    expect(plain).toBeGreaterThan(10);
    expect(plainList(resources, 'common:no.such.list', 'en')).toBeUndefined();
  });
});
