// Localisation with i18next. Every sentence lives in locales/<language>/<namespace>.json (one namespace per feature);
// Vietnamese is the default and the fallback. The core only ever sees a Translate function and the Vocabulary.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createInstance, type i18n as I18next } from 'i18next';
import type { Vocabulary } from '../conversation/engine.ts';
import type { Translate } from '../conversation/flow.ts';
import { LANGUAGES, type Language } from '../domain/member.ts';
import { fold, normalizeWords } from '../domain/text.ts';
import type { Lexicon } from '../domain/understanding/words.ts';

export type Resources = Record<string, Record<string, Record<string, unknown>>>;

export const DEFAULT_LOCALES_DIR = path.resolve(import.meta.dirname, '../../locales');

/** Reads locales/<language>/<namespace>.json for every supported language. */
export function loadResources(dir: string = DEFAULT_LOCALES_DIR): Resources {
  const resources: Resources = {};
  for (const language of LANGUAGES) {
    const folder = path.join(dir, language);
    resources[language] = {};
    for (const file of readdirSync(folder).filter((f) => f.endsWith('.json'))) {
      resources[language][path.basename(file, '.json')] = JSON.parse(
        readFileSync(path.join(folder, file), 'utf8'),
      ) as Record<string, unknown>;
    }
  }
  return resources;
}

export interface Localisation {
  translator: (language: Language) => Translate;
  vocabulary: Vocabulary;
  /** Every language's words for a list key (e.g. "common:commands.back"), for matching what members type. */
  words: (key: string) => string[];
  /**
   * Every language's phrases for a list key as written (e.g. "credit:intents.credit.examples"): the intent examples,
   * folded by the matcher itself.
   */
  phrases: (key: string) => string[];
  /** The intent matcher's language data (common:understanding.shorthand / .filler / .slots / .afterNumber), every language's merged. */
  lexicon: Lexicon;
}

export function createLocalisation(
  resources: Resources = loadResources(),
  defaultLanguage: Language = 'vi',
): Localisation {
  const instance: I18next = createInstance();
  void instance.init({
    resources,
    lng: defaultLanguage,
    fallbackLng: defaultLanguage,
    supportedLngs: [...LANGUAGES],
    ns: Object.keys(resources[defaultLanguage] ?? {}),
    defaultNS: 'common',
    initAsync: false,
    // Replies are plain text, never HTML: escaping would show "&amp;" to members.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  const fixed = new Map<Language, Translate>(
    LANGUAGES.map((lng) => {
      const t = instance.getFixedT(lng);
      return [lng, (key: string, vars?: Record<string, unknown>): string => t(key, vars ?? {})];
    }),
  );
  /**
   * A list key's items in one language ("ns:a.b.c"), as i18next would return them with returnObjects. Read straight
   * from the resources when the list is plain strings (no interpolation or nesting: the same result, without
   * i18next's per-item translation, which was a third of the start-up's CPU); otherwise, or when the language lacks
   * the key (i18next falls back to the default language), asked from i18next. Not a list: [].
   */
  const list = (key: string, lng: Language): string[] => {
    const plain = plainList(resources, key, lng);
    if (plain !== undefined) return plain;
    const value = instance.t(key, { lng, returnObjects: true });
    return Array.isArray(value) ? value.map(String) : [];
  };
  const words = (key: string): string[] => {
    const all = LANGUAGES.flatMap((lng) => list(key, lng));
    return [...new Set(all.map(fold))].filter((w) => w !== '');
  };
  // The vocabulary keeps its diacritics: "đúng" (yes) and "dừng" (cancel) must stay two words (see compareWords).
  const phrases = (key: string): string[] => {
    const all = LANGUAGES.flatMap((lng) => list(key, lng));
    return [...new Set(all.map(normalizeWords))].filter((w) => w !== '');
  };
  const asWritten = (key: string): string[] => {
    const all = LANGUAGES.flatMap((lng) => list(key, lng));
    return [...new Set(all)].filter((w) => w.trim() !== '');
  };
  /**
   * A table of words written "short = long" in a list (common:<block>.<key>), every language's merged; the default
   * language's entry wins for a word both have.
   */
  const table = (block: string, key: string): Record<string, string> => {
    const merged: Record<string, string> = {};
    for (const lng of [defaultLanguage, ...LANGUAGES]) {
      for (const entry of list(`common:${block}.${key}`, lng)) {
        const at = entry.indexOf('=');
        const short = entry.slice(0, at).trim();
        const long = entry.slice(at + 1).trim();
        if (at > 0 && short !== '' && long !== '' && !Object.hasOwn(merged, short)) merged[short] = long;
      }
    }
    return merged;
  };
  const shorthand = table('understanding', 'shorthand');
  return {
    translator: (language) => fixed.get(language) ?? fixed.get(defaultLanguage)!,
    words,
    phrases: asWritten,
    lexicon: {
      shorthand,
      filler: asWritten('common:understanding.filler'),
      slots: table('understanding', 'slots'),
      afterNumber: table('understanding', 'afterNumber'),
    },
    vocabulary: {
      back: phrases('common:commands.back'),
      cancel: phrases('common:commands.cancel'),
      menu: phrases('common:commands.menu'),
      help: phrases('common:commands.help'),
      skip: phrases('common:commands.skip'),
      yes: phrases('common:commands.yes'),
      no: phrases('common:commands.no'),
      edit: phrases('common:commands.edit'),
      greeting: phrases('common:commands.greeting'),
      answerWords: {
        shorthand: Object.fromEntries(
          Object.entries(table('answerWords', 'shorthand')).map(([k, v]) => [normalizeWords(k), normalizeWords(v)]),
        ),
        trailingParticles: phrases('common:answerWords.trailingParticles'),
        leadingParticles: phrases('common:answerWords.leadingParticles'),
      },
    },
  };
}

/**
 * The items of the list at `key` ("namespace:a.b.c") in `lng`'s resources when every item is a string that i18next
 * would return unchanged (no "{{" interpolation, no "$t(" nesting); undefined otherwise (missing key, not a list, or
 * items i18next must translate), so the caller asks i18next.
 */
export function plainList(resources: Resources, key: string, lng: string): string[] | undefined {
  const colon = key.indexOf(':');
  const namespace = colon < 0 ? 'common' : key.slice(0, colon);
  let node: unknown = resources[lng]?.[namespace];
  for (const part of key.slice(colon + 1).split('.')) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  if (!Array.isArray(node)) return undefined;
  if (!node.every((item) => typeof item === 'string' && !item.includes('{{') && !item.includes('$t(')))
    return undefined;
  return node as string[];
}
