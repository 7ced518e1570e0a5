// Where things are in a JSON text, so that a problem in a data file can be reported by line and column rather than
// by a JSON path alone ("units.12.code, line 141"). JSON.parse keeps no positions, so this is a small scanner of
// its own that follows the JSON grammar (RFC 8259) and records where every value starts.

/** A path as zod reports it: property names and array indices. */
export type JsonPath = readonly PropertyKey[];

export interface JsonPosition {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units (what editors show for Vietnamese text in NFC). */
  column: number;
  offset: number;
}

export interface JsonLocation extends JsonPosition {
  /** The path that was found: the one asked for, or its nearest ancestor when the value is missing. */
  found: JsonPath;
  exact: boolean;
}

export class JsonSyntaxError extends Error {
  constructor(
    readonly problem: string,
    readonly position: JsonPosition,
  ) {
    super(`line ${position.line}, column ${position.column}: ${problem}`);
    this.name = 'JsonSyntaxError';
  }
}

export interface JsonLocator {
  /** Where the value at this path starts; for a missing value, where its nearest existing ancestor starts. */
  locate(path: JsonPath): JsonLocation;
}

/** Scans the text (throws JsonSyntaxError, with its position, when it is not JSON). */
export function createJsonLocator(source: string): JsonLocator {
  const starts = scan(source);
  const lineStarts = [0];
  for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const position = (offset: number) => positionIn(lineStarts, offset);

  return {
    locate(path) {
      for (let length = path.length; length >= 0; length--) {
        const found = path.slice(0, length);
        const offset = starts.get(keyOf(found));
        if (offset !== undefined) return { ...position(offset), found, exact: length === path.length };
      }
      // The root always has an entry; this is only reached for an empty text, which scan() refuses.
      return { ...position(0), found: [], exact: path.length === 0 };
    },
  };
}

/** The position of an offset in a text (for callers that have an offset from elsewhere). */
export function positionOf(source: string, offset: number): JsonPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < source.length; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1, offset };
}

function positionIn(lineStarts: readonly number[], offset: number): JsonPosition {
  // The last line start at or before the offset (binary search: data files have thousands of lines).
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (lineStarts[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, column: offset - lineStarts[low]! + 1, offset };
}

/** Array indices as numbers, property names as strings: ["units",3,"code"] and ["units","3","code"] differ. */
function keyOf(path: JsonPath): string {
  return JSON.stringify(path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment)));
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERALS = ['true', 'false', 'null'] as const;

/** Offsets of every value, by path. A repeated property name keeps its last occurrence, as JSON.parse does. */
function scan(source: string): Map<string, number> {
  const starts = new Map<string, number>();
  let i = 0;

  const fail = (problem: string, at = i): never => {
    throw new JsonSyntaxError(problem, positionOf(source, at));
  };
  const describe = (at: number): string =>
    at >= source.length ? 'the end of the file' : `${JSON.stringify(source.charAt(at))}`;
  const skipSpace = () => {
    while (i < source.length) {
      const c = source.charCodeAt(i);
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
      i++;
    }
  };

  const string = (): string => {
    const start = i;
    i++; // the opening quote
    while (i < source.length) {
      const c = source.charCodeAt(i);
      if (c === 34) {
        i++;
        try {
          return JSON.parse(source.slice(start, i)) as string;
        } catch {
          return fail('invalid escape sequence in a string', start);
        }
      }
      if (c === 92)
        i += 2; // a backslash: skip the escaped character (checked by JSON.parse above)
      else if (c < 32) fail('line break or control character inside a string (missing closing quote?)');
      else i++;
    }
    return fail('unterminated string', start);
  };

  const value = (path: PropertyKey[]): void => {
    skipSpace();
    starts.set(keyOf(path), i);
    const c = source.charAt(i);
    if (c === '{') {
      i++;
      skipSpace();
      if (source.charAt(i) === '}') {
        i++;
        return;
      }
      for (;;) {
        skipSpace();
        if (source.charAt(i) !== '"') fail(`expected a property name in double quotes, found ${describe(i)}`);
        const name = string();
        skipSpace();
        if (source.charAt(i) !== ':') fail(`expected ':' after property name ${JSON.stringify(name)}`);
        i++;
        value([...path, name]);
        skipSpace();
        if (source.charAt(i) === ',') {
          i++;
          continue;
        }
        if (source.charAt(i) === '}') {
          i++;
          return;
        }
        fail(`expected ',' or '}' after a property value, found ${describe(i)}`);
      }
    }
    if (c === '[') {
      i++;
      skipSpace();
      if (source.charAt(i) === ']') {
        i++;
        return;
      }
      for (let index = 0; ; index++) {
        value([...path, index]);
        skipSpace();
        if (source.charAt(i) === ',') {
          i++;
          continue;
        }
        if (source.charAt(i) === ']') {
          i++;
          return;
        }
        fail(`expected ',' or ']' after an array element, found ${describe(i)}`);
      }
    }
    if (c === '"') {
      string();
      return;
    }
    NUMBER.lastIndex = i;
    if (NUMBER.test(source)) {
      i = NUMBER.lastIndex;
      return;
    }
    const literal = LITERALS.find((word) => source.startsWith(word, i));
    if (literal !== undefined) {
      i += literal.length;
      return;
    }
    fail(`expected a value, found ${describe(i)}`);
  };

  value([]);
  skipSpace();
  if (i < source.length) fail(`unexpected ${describe(i)} after the end of the JSON value`);
  return starts;
}
