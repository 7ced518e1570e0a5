// Seeded hostile webhook bodies (issue 15): valid platform payloads mutated every way a careless or hostile sender
// could — fields deleted, wrong types (string ↔ number ↔ object ↔ array ↔ null), huge strings (up to just under the
// body limit), deep nesting (thousands of levels), invalid UTF-8, not JSON, truncated JSON, empty bodies,
// `__proto__` / `constructor` keys, huge / negative / fractional ids, Unicode edge cases (zero-width, RTL marks, lone
// surrogates, NUL, emoji), duplicate keys and wrong content types.
// The same seed gives the same bodies (mulberry32), so a failure replays from the seed the suite prints. Used by the
// hostile-input suite (test/hostile) and by the bench's memory figure during a hostile burst.
import { prng } from './random.ts';

export interface HostileBody {
  /** What was done to the body (the mutation kinds, e.g. "wrongType:message.text"); never the body itself. */
  label: string;
  body: Buffer;
  /** The Content-Type header to send it with (mostly application/json; sometimes a wrong one). */
  contentType: string;
}

export interface HostileOptions {
  /** The server's body limit (bytes): huge strings stay just under it. Default 1 MiB (HTTP_BODY_LIMIT_BYTES). */
  bodyLimitBytes?: number;
  /** Levels of the deep-nesting bodies. Default 5,000. */
  depth?: number;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const UNICODE_EDGES = [
  '\u200b\u200c\u200d\ufeff', // zero-width characters and a BOM
  '\u202e\u202dabc\u2066\u2069', // RTL / LTR overrides and isolates
  '\ud800', // a lone high surrogate
  '\udfff', // a lone low surrogate
  '\u0000', // NUL
  '\u0007\u001b[31m', // control characters, an ANSI escape
  '👩‍👩‍👧‍👦🇻🇳', // emoji ZWJ sequence and a flag
  'e\u0301\u0303'.repeat(50), // stacked combining marks
  'Chào em \u0063\u0323', // decomposed Vietnamese
  '\ufffd\uffff',
  '${jndi:ldap://x}', // strings some loggers interpret
  '\'; DROP TABLE "Member"; --',
  '%s%n%x{{7*7}}',
];

const WRONG_CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=latin1',
  'application/octet-stream',
  'application/xml',
  '',
];

const IDS: Json[] = [
  Number.MAX_SAFE_INTEGER + 2,
  -1,
  -9_007_199_254_740_991,
  0,
  1.5,
  1e308,
  -0,
  '9'.repeat(400),
  '-42',
  '1e9',
  'NaN',
  '',
];

/**
 * `count` hostile bodies built from `valid` (each a valid platform payload, e.g. a Telegram update or a Zalo OA
 * event), drawn with `seed`. Deterministic for a given seed, `valid` and options. Bodies are at most just under
 * `bodyLimitBytes` (so the server reads them), except the deep-nesting ones, which are small.
 */
export function* hostileBodies(
  seed: number,
  valid: readonly unknown[],
  count: number,
  options: HostileOptions = {},
): Generator<HostileBody> {
  if (valid.length === 0) throw new Error('hostileBodies needs at least one valid payload');
  const limit = options.bodyLimitBytes ?? 1024 * 1024;
  const depth = options.depth ?? 5_000;
  const random = prng(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;

  const clone = (value: unknown): Json => JSON.parse(JSON.stringify(value)) as Json;

  /** Every path to a value inside `root` (objects and arrays), the root excluded. */
  const paths = (root: Json): (string | number)[][] => {
    const out: (string | number)[][] = [];
    const walk = (value: Json, at: (string | number)[]) => {
      const entries: [string | number, Json][] = Array.isArray(value)
        ? value.map((item, i) => [i, item])
        : value !== null && typeof value === 'object'
          ? Object.entries(value)
          : [];
      for (const [key, item] of entries) {
        out.push([...at, key]);
        walk(item, [...at, key]);
      }
    };
    walk(root, []);
    return out;
  };
  const parentOf = (root: Json, at: (string | number)[]): Record<string | number, Json> =>
    at.slice(0, -1).reduce<Json>((node, key) => (node as Record<string | number, Json>)[key] as Json, root) as Record<
      string | number,
      Json
    >;
  const name = (at: (string | number)[]) => at.join('.');

  const randomString = (length: number) => {
    const parts: string[] = [];
    let size = 0;
    while (size < length) {
      const part = random() < 0.3 ? pick(UNICODE_EDGES) : String.fromCharCode(32 + int(0x2fff));
      parts.push(part);
      size += part.length;
    }
    return parts.join('').slice(0, length);
  };
  const wrongValue = (current: Json): Json => {
    const options: Json[] = [
      null,
      0,
      -1,
      1.25,
      true,
      '',
      'x',
      [],
      {},
      [1, 'a', null],
      { nested: { deeper: [] } },
      pick(IDS),
      pick(UNICODE_EDGES),
    ];
    let value = pick(options);
    // Never "wrong" by being the same type: a string becomes a non-string, and so on.
    for (let i = 0; i < 5 && typeof value === typeof current && Array.isArray(value) === Array.isArray(current); i++)
      value = pick(options);
    return value;
  };

  /** One structural mutation of a parsed payload; returns its label. */
  const mutate = (root: Json): string => {
    const all = paths(root);
    if (all.length === 0) return 'noop';
    const at = pick(all);
    const parent = parentOf(root, at);
    const key = at[at.length - 1] as string | number;
    switch (int(9)) {
      case 0:
        if (Array.isArray(parent)) parent.splice(Number(key), 1);
        else delete parent[key];
        return `delete:${name(at)}`;
      case 1:
        parent[key] = wrongValue(parent[key] as Json);
        return `wrongType:${name(at)}`;
      case 2:
        parent[key] = pick(IDS);
        return `oddId:${name(at)}`;
      case 3:
        parent[key] = pick(UNICODE_EDGES) + JSON.stringify(parent[key]) + pick(UNICODE_EDGES);
        return `unicode:${name(at)}`;
      case 4:
        parent[key] = randomString(1 + int(5_000));
        return `longString:${name(at)}`;
      case 5: {
        const twin = clone(root);
        parent[key] = Array.isArray(twin) ? twin : { ...(twin as object), inner: twin };
        return `selfNest:${name(at)}`;
      }
      case 6:
        parent[key] = [parent[key], parent[key]] as Json[];
        return `wrapArray:${name(at)}`;
      case 7:
        if (!Array.isArray(parent)) parent[`${String(key)}_extra`] = { a: [1, { b: null }] };
        return `extraField:${name(at)}`;
      default:
        parent[key] = {};
        return `emptyObject:${name(at)}`;
    }
  };

  const json = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');
  const asJson = (label: string, body: Buffer): HostileBody => ({ label, body, contentType: 'application/json' });

  /** Builders of one hostile body each, picked at random (the structural mutations the most often). */
  const kinds: (() => HostileBody)[] = [
    () => {
      const root = clone(pick(valid));
      const labels = Array.from({ length: 1 + int(4) }, () => mutate(root));
      return asJson(labels.join('+'), json(root));
    },
    () => {
      const root = clone(pick(valid));
      const labels = Array.from({ length: 1 + int(4) }, () => mutate(root));
      return asJson(labels.join('+'), json(root));
    },
    () => {
      const root = clone(pick(valid));
      return asJson(mutate(root), json(root));
    },
    () => {
      // One string field grown to just under the body limit.
      const root = clone(pick(valid));
      const strings = paths(root).filter((at) => typeof parentOf(root, at)[at[at.length - 1] as string] === 'string');
      const base = json(root).length;
      const room = Math.max(0, limit - base - 64);
      const size = random() < 0.5 ? room : int(room);
      if (strings.length === 0) return asJson('hugeField:none', Buffer.from(JSON.stringify({ big: 'a'.repeat(size) })));
      const at = pick(strings);
      parentOf(root, at)[at[at.length - 1] as string] = random() < 0.5 ? 'A'.repeat(size) : 'ạ'.repeat(size / 3);
      return asJson(`hugeString:${name(at)}`, json(root));
    },
    () => {
      const open = random() < 0.5 ? '[' : '{"a":';
      const close = open === '[' ? ']' : '}';
      const levels = Math.floor(depth / 2 + int(depth));
      const body = open.repeat(levels) + (random() < 0.5 ? '1' : '"x"') + close.repeat(levels);
      return asJson(`deepNesting:${levels}`, Buffer.from(body));
    },
    () => {
      // A valid payload with invalid UTF-8 bytes spliced into one of its strings.
      const text = JSON.stringify(pick(valid));
      const quote = text.indexOf('"', 1 + int(Math.max(1, text.length - 2)));
      const at = quote > 0 ? quote : text.length >> 1;
      const bad = pick([
        Buffer.from([0xff, 0xfe]),
        Buffer.from([0xc3]),
        Buffer.from([0xed, 0xa0, 0x80]),
        Buffer.from([0xf8, 0x88, 0x80, 0x80]),
        Buffer.from([0xc0, 0xaf]),
      ]);
      return asJson('invalidUtf8', Buffer.concat([Buffer.from(text.slice(0, at)), bad, Buffer.from(text.slice(at))]));
    },
    () => {
      const body = pick([
        'hello',
        '<xml/>',
        'undefined',
        'NaN',
        "{'single': 'quotes'}",
        '{"a":1,}',
        '[1,2,,]',
        '{"a": 01}',
        '\u0000\u0000\u0000',
        '--',
        '%7B%7D',
        'a=1&b=2',
        '"just a string"',
        '42',
        'null',
        'true',
        '[]',
        '{}',
      ]);
      return asJson(`notJson:${body.length}`, Buffer.from(body));
    },
    () => {
      const text = JSON.stringify(pick(valid));
      const cut = int(text.length);
      return asJson(`truncated:${cut}`, Buffer.from(text.slice(0, cut)));
    },
    () => asJson('empty', Buffer.alloc(0)),
    () => {
      const text = JSON.stringify(pick(valid));
      const poison = pick([
        '"__proto__":{"polluted":true,"isAdmin":true}',
        '"constructor":{"prototype":{"polluted":true}}',
        '"__proto__":null',
        '"prototype":{"toString":1}',
        '"hasOwnProperty":1,"toString":"x","valueOf":[]',
      ]);
      const body = text.length > 2 ? `{${poison},${text.slice(1)}` : `{${poison}}`;
      return asJson('prototypeKeys', Buffer.from(body));
    },
    () => {
      // Duplicate keys: a second copy of every top-level field with a wrong value, after the real one.
      const source = pick(valid) as Record<string, unknown>;
      const text = JSON.stringify(source);
      const twins = Object.keys(source)
        .map((key) => `${JSON.stringify(key)}:${JSON.stringify(wrongValue(source[key] as Json))}`)
        .join(',');
      return asJson('duplicateKeys', Buffer.from(text.length > 2 ? `${text.slice(0, -1)},${twins}}` : text));
    },
    () => {
      const root = clone(pick(valid));
      return { label: 'wrongContentType', body: json(root), contentType: pick(WRONG_CONTENT_TYPES) };
    },
    () => {
      // Lone surrogates written as JSON escapes (valid JSON, invalid Unicode), and NUL in a key.
      const text = JSON.stringify(pick(valid));
      const body = text.replace(/"([^"\\]{0,40})"/u, (_m, s: string) => `"${s}\\ud83d\\u0000\\udc00"`);
      return asJson('escapedSurrogates', Buffer.from(body.replace(/^\{/, '{"\\u0000key":1,')));
    },
  ];

  for (let i = 0; i < count; i++) {
    const body = pick(kinds)();
    // Never over the limit (the suite sends the oversized ones on purpose, elsewhere).
    if (body.body.length >= limit) body.body = body.body.subarray(0, limit - 1);
    yield body;
  }
}
