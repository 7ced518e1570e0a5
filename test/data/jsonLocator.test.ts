import { describe, expect, it } from 'vitest';
import { createJsonLocator, JsonSyntaxError } from '../../src/data/jsonLocator.ts';

const TEXT = [
  '{',
  '  "name": "Thái Nguyên",',
  '  "units": [',
  '    { "code": "1", "tags": ["a", {"x": null}] },',
  '    {',
  '      "code": -1.5e3,',
  '      "code": true',
  '    }',
  '  ],',
  '  "esc\\"aped": "\\u0041\\n"',
  '}',
].join('\r\n');

describe('JSON locator', () => {
  it('finds where each value starts, by the path zod reports', () => {
    const locator = createJsonLocator(TEXT);
    const at = (...path: (string | number)[]) => {
      const { line, column, exact } = locator.locate(path);
      return [line, column, exact];
    };
    expect(at()).toEqual([1, 1, true]);
    expect(at('name')).toEqual([2, 11, true]);
    expect(at('units', 0, 'code')).toEqual([4, 15, true]);
    expect(at('units', 0, 'tags', 1)).toEqual([4, 34, true]);
    expect(at('units', 0, 'tags', 1, 'x')).toEqual([4, 40, true]);
    expect(at('units', 1)).toEqual([5, 5, true]);
    // A repeated property: the last one, as JSON.parse keeps it.
    expect(at('units', 1, 'code')).toEqual([7, 15, true]);
    expect(at('esc"aped')).toEqual([10, 16, true]);
    // Missing: the nearest ancestor that exists.
    expect(locator.locate(['units', 1, 'name'])).toMatchObject({ line: 5, found: ['units', 1], exact: false });
    expect(locator.locate(['units', 7, 'name'])).toMatchObject({ line: 3, found: ['units'], exact: false });
    // An index is not a property name.
    expect(locator.locate(['units', '0'])).toMatchObject({ found: ['units'], exact: false });
  });

  it.each([
    ['{"a": 1,}', 1, 9, /expected a property name/],
    ['[1, 2,\n]', 2, 1, /expected a value/],
    ['{"a": 1\n "b": 2}', 2, 2, /expected ',' or '}'/],
    ['{"a": "one\ntwo"}', 1, 11, /line break or control character inside a string/],
    ['{"a": "\\x"}', 1, 7, /invalid escape/],
    ['{"a": 01}', 1, 8, /expected ',' or '}'/],
    ['{"a": 1} x', 1, 10, /after the end/],
    ['', 1, 1, /expected a value, found the end of the file/],
    ['{"a": tru}', 1, 7, /expected a value/],
  ])('refuses %j at line %i, column %i', (text, line, column, problem) => {
    let error: unknown;
    try {
      createJsonLocator(text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(JsonSyntaxError);
    expect((error as JsonSyntaxError).position).toMatchObject({ line, column });
    expect((error as JsonSyntaxError).problem).toMatch(problem);
    expect(() => JSON.parse(text) as unknown).toThrow();
  });
});
