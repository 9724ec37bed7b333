/**
 * Python `re` patterns translated to JavaScript: where each pattern matches each line (bytes mode,
 * as lineinfile compiles them), and the errors Python gives, as Python 3.11's re module answered
 * them on this machine.
 */
import { describe, expect, it } from 'vitest';
import { parsePyTemplate, pyRegExp, PyRegexError, toBytes, translatePyRegex } from '../../src/modules/python-regex.ts';

const LINES: string[] = ["foo\n", "foo", " # c\n", "a word here\n", "v1.25\n", "abc\n", "éé\n", "]\n", "aab\n", "a{b\n", "A\n", "k=k\n", "cb\n", "x\r\n", "a.b c\n", "a-z\n", " x\n", "bb\n"];

/** Pattern, then per line of LINES: Python's match span in bytes, or null. */
const MATCHES: [string, ([number, number] | null)[]][] = [
  ["^foo$", [[0, 3], [0, 3], null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null]],
  ["foo$", [[0, 3], [0, 3], null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null]],
  ["^\\s*#", [null, null, [0, 2], null, null, null, null, null, null, null, null, null, null, null, null, null, null, null]],
  ["\\bword\\b", [null, null, null, [2, 6], null, null, null, null, null, null, null, null, null, null, null, null, null, null]],
  ["(\\d+)\\.(\\d+)", [null, null, null, null, [1, 5], null, null, null, null, null, null, null, null, null, null, null, null, null]],
  ["^.{3}$", [[0, 3], [0, 3], null, null, null, [0, 3], null, null, [0, 3], [0, 3], null, [0, 3], null, null, null, [0, 3], [0, 3], null]],
  ["é+", [null, null, null, null, null, null, [0, 2], null, null, null, null, null, null, null, null, null, null, null]],
  ["[]a]", [null, null, null, [0, 1], null, [0, 1], null, [0, 1], [0, 1], [0, 1], null, null, null, null, [0, 1], [0, 1], null, null]],
  ["[^]a]", [[0, 1], [0, 1], [0, 1], [1, 2], [0, 1], [1, 2], [0, 1], [1, 2], [2, 3], [1, 2], [0, 1], [0, 1], [0, 1], [0, 1], [1, 2], [1, 2], [0, 1], [0, 1]]],
  ["a{,2}b", [null, null, null, null, null, [0, 2], null, null, [0, 3], [2, 3], null, null, [1, 2], null, [2, 3], null, null, [0, 1]]],
  ["a{b", [null, null, null, null, null, null, null, null, null, [0, 3], null, null, null, null, null, null, null, null]],
  ["\\x41", [null, null, null, null, null, null, null, null, null, null, [0, 1], null, null, null, null, null, null, null]],
  ["\\101", [null, null, null, null, null, null, null, null, null, null, [0, 1], null, null, null, null, null, null, null]],
  ["(?P<k>\\w+)=(?P=k)", [null, null, null, null, null, null, null, null, null, null, null, [0, 3], null, null, null, null, null, null]],
  ["(?<=a)b", [null, null, null, null, null, [1, 2], null, null, [2, 3], null, null, null, null, null, null, null, null, null]],
  ["(?<!a)b", [null, null, null, null, null, null, null, null, null, [2, 3], null, null, [1, 2], null, [2, 3], null, null, [0, 1]]],
  ["\\Aab\\Z", [null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null]],
  ["[\\s,]+", [[3, 4], null, [0, 1], [1, 2], [5, 6], [3, 4], [4, 5], [1, 2], [3, 4], [3, 4], [1, 2], [3, 4], [2, 3], [1, 3], [3, 4], [3, 4], [3, 4], [2, 3]]],
  ["\\S+$", [[0, 3], [0, 3], [3, 4], [7, 11], [0, 5], [0, 3], [0, 4], [0, 1], [0, 3], [0, 3], [0, 1], [0, 3], [0, 2], null, [4, 5], [0, 3], [0, 3], [0, 2]]],
  ["[a\\-z]", [null, null, null, [0, 1], null, [0, 1], null, null, [0, 1], [0, 1], null, null, null, null, [0, 1], [0, 1], null, null]],
  ["$", [[3, 3], [3, 3], [4, 4], [11, 11], [5, 5], [3, 3], [4, 4], [1, 1], [3, 3], [3, 3], [1, 1], [3, 3], [2, 2], [2, 2], [5, 5], [3, 3], [3, 3], [2, 2]]],
  ["(?#c)x", [null, null, null, null, null, null, null, null, null, null, null, null, null, [0, 1], null, null, [2, 3], null]],
  ["x{1,}?", [null, null, null, null, null, null, null, null, null, null, null, null, null, [0, 1], null, null, [2, 3], null]],
  ["(a|b)\\1", [null, null, null, null, null, null, null, null, [0, 2], null, null, null, null, null, null, null, null, [0, 2]]],
  ["[\\d-]", [null, null, null, null, [1, 2], null, null, null, null, null, null, null, null, null, null, [1, 2], null, null]],
  ["ab\\n", [null, null, null, null, null, null, null, null, [1, 4], null, null, null, null, null, null, null, null, null]],
];

/** Patterns Python refuses, with its message (without "at position N"). */
const PY_ERRORS: [string, string][] = [
  ["a**", "multiple repeat"],
  ["a{2}{3}", "multiple repeat"],
  ["*a", "nothing to repeat"],
  ["\\q", "bad escape \\q"],
  ["\\u0041", "bad escape \\u"],
  ["(?P<1>a)", "bad character in group name '1'"],
  ["(a", "missing ), unterminated subpattern"],
  ["a)", "unbalanced parenthesis"],
  ["[a", "unterminated character set"],
  ["\\1(a)", "invalid group reference 1"],
  ["(a\\1)", "cannot refer to an open group"],
  ["\\8", "invalid group reference 8"],
  ["a{3,1}", "min repeat greater than max repeat"],
  ["^*", "nothing to repeat"],
  ["\\x4", "incomplete escape \\x4"],
];

const spanIn = (pattern: string, line: string): [number, number] | null => {
  const m = pyRegExp(translatePyRegex(pattern, 'bytes')).exec(toBytes(line));
  return m === null ? null : [m.index, m.index + m[0].length];
};

describe('Python regular expressions in JavaScript', () => {
  it.each(MATCHES)('%s matches where Python matches', (pattern, spans) => {
    expect(LINES.map((l) => spanIn(pattern, l))).toEqual(spans);
  });
  it.each(PY_ERRORS)('%s is refused as Python refuses it', (pattern, message) => {
    expect(() => translatePyRegex(pattern, 'bytes')).toThrow(expect.objectContaining({ constructor: PyRegexError, message }));
  });
  it.each([
    ['(?i)foo', /inline flags/],
    ['(?s:a.)', /inline flags/],
    ['(?>a)', /atomic groups/],
    ['a*+', /possessive/],
    ['(?<=a+)b', /lookbehind/],
    ['(?<=a|bc)d', /lookbehind/],
    ['(a)?b\\1', /may take no part/],
    ['(a)|b\\1', /may take no part/],
    ['[\\S]', /inside a character class/],
  ])('%s is refused: JavaScript cannot mean it the same way', (pattern, why) => {
    expect(() => translatePyRegex(pattern, 'bytes')).toThrow(why);
  });
  it('says where in the pattern the problem is', () => {
    expect(() => translatePyRegex('ab(?i)c', 'bytes')).toThrow(expect.objectContaining({ offset: 2 }));
    expect(() => translatePyRegex('abc\\q', 'bytes')).toThrow(expect.objectContaining({ offset: 3 }));
  });
  it('reads \\w, \\d and \\s as Unicode in str patterns (replace, blockinfile), as bytes in lineinfile', () => {
    expect(pyRegExp(translatePyRegex('^\\w+$', 'unicode')).test('été')).toBe(true);
    expect(pyRegExp(translatePyRegex('^\\w+$', 'bytes')).test(toBytes('été'))).toBe(false);
    expect(pyRegExp(translatePyRegex('\\s', 'unicode')).test('\ufeff')).toBe(false);
    expect(pyRegExp(translatePyRegex('^a$', 'unicode', { multiline: true }), 'g').exec('b\na\nc')?.index).toBe(2);
  });
  it('reads replacement templates as Python does, refusing groups the pattern lacks', () => {
    const r = translatePyRegex('(?P<k>a)(b)', 'bytes');
    expect(parsePyTemplate('\\g<k>-\\2\\t\\\\', r)).toEqual([{ group: 'k' }, '-', { group: 2 }, '\t\\']);
    expect(() => parsePyTemplate('\\3', r)).toThrow('invalid group reference 3');
    expect(() => parsePyTemplate('\\g<x>', r)).toThrow("unknown group name 'x'");
    expect(() => parsePyTemplate('\\q', r)).toThrow('bad escape \\q');
  });
});
