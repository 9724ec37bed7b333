/**
 * Python `re` patterns, as Ansible's file modules compile them, translated to JavaScript RegExps that
 * match the same text; what JavaScript cannot mean the same way is refused with the pattern's
 * offset. Two modes, as the modules use them:
 *   - bytes (lineinfile: `re.compile(to_bytes(regexp))`): the text and the pattern are UTF-8 bytes,
 *     one JavaScript character a byte (latin1), so `.` is a byte and `\w` ASCII, as in Python;
 *   - unicode (replace, blockinfile: str patterns): `\w`, `\d`, `\s`, `\b` are Unicode-aware, as
 *     Python's are, through `u`-flag classes.
 * `^`, `$` and `.` are always written out (never JavaScript's `m` or `s` flag), because Python's `$`
 * also matches before a final newline and its `.` stops only at `\n`.
 * Refused: inline flags (`(?i)`, `(?x)`, `(?i:…)`), atomic groups and possessive quantifiers,
 * conditionals, `\N{…}`, lookbehinds with alternation or repetition (Python needs them fixed-width),
 * and in bytes mode `\u`/`\U` (Python refuses them there).
 */

export type RegexMode = 'bytes' | 'unicode';

export interface PyRegexOptions {
  /** re.MULTILINE: `^` and `$` at every line. */
  multiline?: boolean;
  /** re.DOTALL: `.` matches a newline too. */
  dotall?: boolean;
}

export interface PyRegex {
  source: string;
  flags: string;
  groups: number;
  names: string[];
}

export class PyRegexError extends Error {
  /** Where in the pattern (0-based; in bytes mode, a byte offset). */
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.offset = offset;
  }
}

/** A string's UTF-8 bytes, one latin1 character each: Python's bytes as JavaScript matches them. */
export const toBytes = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');
export const fromBytes = (b: string): string => Buffer.from(b, 'latin1').toString('utf8');

const hex = (code: number): string => (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`);

/** Python's str.isspace() characters, the Unicode `\s`. */
const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const BYTES_SPACE = '\\t\\n\\v\\f\\r ';
const WORD_U = '\\p{L}\\p{N}_';

const ESCAPE_CHARS: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };

interface Group {
  lookbehind: boolean;
  number?: number;
  /** How many capturing groups had opened before this one. */
  groupsBefore: number;
  /** An alternative (`|`) has been seen directly inside it. */
  alternation: boolean;
  /** Where its `(` is. */
  at: number;
}

export function translatePyRegex(pattern: string, mode: RegexMode, options: PyRegexOptions = {}): PyRegex {
  const p = mode === 'bytes' ? toBytes(pattern) : pattern;
  const unicode = mode === 'unicode';
  const out: string[] = [];
  const open: Group[] = [];
  const closed = new Set<number>();
  const names: string[] = [];
  /**
   * Groups that may take no part in a match (in an alternative, or repeated at least zero times):
   * a reference to one fails in Python and matches empty in JavaScript, so it is refused.
   */
  const optional = new Set<number>();
  let topAlternation = false;
  /** The group just closed, while nothing else has been written after it. */
  let justClosed: Group | undefined;
  let groups = 0;
  /** 0: no quantifier just before; 1: one; 2: one made lazy. */
  let quant = 0;
  /** The last thing written can be repeated (a literal, a class, a group; not `(`, `|`, `^` or `\b`). */
  let repeatable = false;
  let i = 0;
  const fail = (message: string, at = i): never => {
    throw new PyRegexError(message, at);
  };
  const inLookbehind = () => open.some((g) => g.lookbehind);
  const refusedOptional = (n: number, at: number) => {
    if (optional.has(n)) fail(`a reference to group ${n}, which may take no part in a match (Python then finds no match, JavaScript matches it as empty): lvsdr refuses it`, at);
  };
  const markOptionalAfter = (groupsBefore: number) => {
    for (let g = groupsBefore + 1; g <= groups; g++) optional.add(g);
  };
  const wordBoundary = (negated: boolean) => {
    if (!unicode) return negated ? '\\B' : '\\b';
    const w = `[${WORD_U}]`;
    return negated ? `(?:(?<=${w})(?=${w})|(?<!${w})(?!${w}))` : `(?:(?<=${w})(?!${w})|(?<!${w})(?=${w}))`;
  };

  /** An escape after `\` at p[i] (i points past the backslash); `inClass` changes what some mean. */
  const escape = (inClass: boolean): string => {
    const start = i - 1;
    const c = p[i];
    if (c === undefined) fail('bad escape (end of pattern)', start);
    if (/[0-7]/.test(c) && (c === '0' || inClass || (/[0-7]/.test(p[i + 1] ?? '') && /[0-7]/.test(p[i + 2] ?? '')))) {
      const digits = /^[0-7]{1,3}/.exec(p.slice(i))![0];
      const value = parseInt(digits, 8);
      if (value > 0o377) fail(`octal escape value \\${digits} outside of range 0-0o377`, start);
      i += digits.length;
      return hex(value);
    }
    if (/[1-9]/.test(c)) {
      if (inClass) fail(`bad escape \\${c}`, start);
      const digits = /^[0-9]{1,2}/.exec(p.slice(i))![0];
      const n = Number(digits);
      if (n > groups || !closed.has(n)) fail(n > groups ? `invalid group reference ${n}` : 'cannot refer to an open group', start);
      if (inLookbehind()) fail('a group reference inside a lookbehind (lvsdr refuses it: Python needs a fixed width)', start);
      refusedOptional(n, start);
      i += digits.length;
      return `(?:\\${n})`;
    }
    i++;
    if (c in ESCAPE_CHARS) return hex(ESCAPE_CHARS[c]);
    switch (c) {
      case 'b':
        return inClass ? hex(8) : wordBoundary(false);
      case 'B':
        if (inClass) fail('bad escape \\B', start);
        return wordBoundary(true);
      case 'A':
      case 'Z':
        if (inClass) fail(`bad escape \\${c}`, start);
        return c === 'A' ? '(?<![^])' : '(?![^])';
      case 'd':
        return unicode ? '\\p{Nd}' : '\\d';
      case 'D':
        return unicode ? '\\P{Nd}' : '\\D';
      case 'w':
        return unicode ? (inClass ? WORD_U : `[${WORD_U}]`) : '\\w';
      case 'W':
        if (!unicode) return '\\W';
        if (inClass) fail('\\W inside a character class (lvsdr cannot translate it exactly)', start);
        return `[^${WORD_U}]`;
      case 's':
        return inClass ? (unicode ? PY_SPACE : BYTES_SPACE) : `[${unicode ? PY_SPACE : BYTES_SPACE}]`;
      case 'S':
        if (inClass) fail('\\S inside a character class (lvsdr cannot translate it exactly)', start);
        return `[^${unicode ? PY_SPACE : BYTES_SPACE}]`;
      case 'x': {
        const h = /^[0-9a-fA-F]{2}/.exec(p.slice(i));
        if (!h) fail(`incomplete escape \\x${/^[0-9a-fA-F]?/.exec(p.slice(i))![0]}`, start);
        i += 2;
        return hex(parseInt(h![0], 16));
      }
      case 'u':
      case 'U': {
        if (!unicode) fail(`bad escape \\${c}`, start);
        const len = c === 'u' ? 4 : 8;
        const h = new RegExp(`^[0-9a-fA-F]{${len}}`).exec(p.slice(i));
        if (!h) fail(`incomplete escape \\${c}`, start);
        i += len;
        const code = parseInt(h![0], 16);
        if (code > 0x10ffff) fail(`bad escape \\${c}${h![0]}`, start);
        return hex(code);
      }
    }
    if (/[A-Za-z0-9]/.test(c)) fail(`bad escape \\${c}`, start);
    return hex(c.codePointAt(0)!);
  };

  /** A capturing group opens; in an alternative after a `|`, it may take no part. */
  const openGroup = (name: string | undefined) => {
    groups++;
    if (name !== undefined) names.push(name);
    if (topAlternation || open.some((g) => g.alternation)) optional.add(groups);
    open.push({ lookbehind: false, number: groups, groupsBefore: groups - 1, alternation: false, at: i - 1 });
  };

  const charClass = (): string => {
    const start = i - 1;
    let body = '';
    if (p[i] === '^') {
      body = '^';
      i++;
    }
    let first = true;
    for (;;) {
      const c = p[i];
      if (c === undefined) fail('unterminated character set', start);
      if (c === ']' && !first) {
        i++;
        break;
      }
      first = false;
      i++;
      if (c === '\\') body += escape(true);
      else if (c === '-') body += '-';
      else body += /[A-Za-z0-9 ]/.test(c) ? c : hex(c.codePointAt(0)!);
      if (c.codePointAt(0)! > 0xffff) i++;
    }
    return `[${body}]`;
  };

  /** A `{m,n}` quantifier at p[i], normalised for JavaScript, or undefined when Python reads `{` as a literal. */
  const braces = (): string | undefined => {
    const m = /^\{(\d*)(?:(,)(\d*))?\}/.exec(p.slice(i));
    if (!m || (m[1] === '' && m[2] === undefined)) return undefined;
    if (m[1] !== '' && m[3] !== undefined && m[3] !== '' && Number(m[3]) < Number(m[1])) fail('min repeat greater than max repeat');
    i += m[0].length;
    return `{${m[1] || '0'}${m[2] ?? ''}${m[3] ?? ''}}`;
  };

  const quantifier = (text: string) => {
    if (quant === 2 || (quant === 1 && text !== '?')) fail(text === '+' ? 'a possessive quantifier (Python 3.11: JavaScript has none)' : 'multiple repeat');
    if (inLookbehind()) fail('repetition inside a lookbehind (lvsdr refuses it: Python needs a fixed width)');
    if (quant === 0 && !repeatable) fail('nothing to repeat');
    if (quant === 0 && justClosed && /^(\*|\?|\{0)/.test(text)) markOptionalAfter(justClosed.groupsBefore);
    out.push(text);
    quant = quant === 1 ? 2 : 1;
  };

  while (i < p.length) {
    const c = p[i];
    if (c === '*' || c === '+' || c === '?') {
      i++;
      quantifier(c);
      continue;
    }
    if (c === '{') {
      const at = i;
      const q = braces();
      if (q !== undefined) {
        if (quant !== 0) fail('multiple repeat', at);
        quantifier(q);
        continue;
      }
    }
    quant = 0;
    justClosed = undefined;
    repeatable = !'(|^$'.includes(c);
    i++;
    switch (c) {
      case '\\': {
        // \b, \B, \A and \Z are positions, which Python will not repeat.
        const letter = p[i];
        const e = escape(false);
        repeatable = !'bBAZ'.includes(letter);
        out.push(e);
        break;
      }
      case '[':
        out.push(charClass());
        break;
      case '(': {
        if (p[i] !== '?') {
          openGroup(undefined);
          out.push('(');
          break;
        }
        const rest = p.slice(i + 1);
        const named = /^P<([^>]*)>/.exec(rest);
        const ref = /^P=([^)]*)\)/.exec(rest);
        if (named) {
          if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(named[1])) fail(`bad character in group name '${named[1]}'`);
          if (names.includes(named[1])) fail(`redefinition of group name '${named[1]}'`);
          openGroup(named[1]);
          out.push(`(?<${named[1]}>`);
          i += 1 + named[0].length;
        } else if (ref) {
          if (!names.includes(ref[1])) fail(`unknown group name '${ref[1]}'`);
          if (inLookbehind()) fail('a group reference inside a lookbehind (lvsdr refuses it: Python needs a fixed width)');
          refusedOptional(names.indexOf(ref[1]) + 1, i - 1);
          out.push(`(?:\\k<${ref[1]}>)`);
          i += 1 + ref[0].length;
        } else if (rest.startsWith('#')) {
          const end = p.indexOf(')', i);
          if (end < 0) fail('missing ), unterminated comment');
          i = end + 1;
        } else {
          const kind = /^(:|=|!|<=|<!)/.exec(rest)?.[1];
          if (kind === undefined) fail(`'(?${rest.slice(0, 2)}…': inline flags, atomic groups and conditionals are not supported (JavaScript cannot mean them the same way)`, i - 1);
          open.push({ lookbehind: kind!.startsWith('<'), groupsBefore: groups, alternation: false, at: i - 1 });
          out.push(`(?${kind}`);
          i += 1 + kind!.length;
        }
        break;
      }
      case ')': {
        const g = open.pop();
        if (!g) fail('unbalanced parenthesis', i - 1);
        if (g!.number !== undefined) closed.add(g!.number);
        out.push(')');
        justClosed = g;
        break;
      }
      case '|':
        if (inLookbehind()) fail('alternation inside a lookbehind (lvsdr refuses it: Python needs a fixed width)', i - 1);
        const within = open.at(-1);
        markOptionalAfter(within ? (within.number ?? within.groupsBefore) : 0);
        if (open.length > 0) open.at(-1)!.alternation = true;
        else topAlternation = true;
        out.push('|');
        break;
      case '.':
        out.push(options.dotall ? '[^]' : '[^\\n]');
        break;
      case '^':
        out.push(options.multiline ? '(?<![^\\n])' : '(?<![^])');
        break;
      case '$':
        out.push(options.multiline ? '(?![^\\n])' : '(?=\\n?(?![^]))');
        break;
      default:
        out.push(/[A-Za-z0-9 ]/.test(c) ? c : hex(c.codePointAt(0)!));
        if (c.codePointAt(0)! > 0xffff) i++;
    }
  }
  if (open.length > 0) fail('missing ), unterminated subpattern', open[open.length - 1].at);
  const source = out.join('');
  const flags = unicode ? 'u' : '';
  try {
    new RegExp(source, flags);
  } catch (err) {
    fail(`not a valid regular expression here: ${(err as Error).message}`, 0);
  }
  return { source, flags, groups, names };
}

/** A compiled pattern; `extra` flags: `g` to scan every match (re.sub), `d` for group offsets. */
export function pyRegExp(r: PyRegex, extra: '' | 'g' | 'd' = ''): RegExp {
  return new RegExp(r.source, r.flags + extra);
}

type TemplatePart = string | { group: number | string };

/**
 * A replacement template as Python's re reads one (match.expand, re.sub): `\1`, `\g<1>`, `\g<name>`,
 * the escapes `\n`, `\t`, `\\` …; an unknown escape of an ASCII letter, or a group the pattern does
 * not have, is refused, as Python refuses it.
 */
export function parsePyTemplate(template: string, regex: PyRegex): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let literal = '';
  let i = 0;
  const fail = (message: string, at: number): never => {
    throw new PyRegexError(message, at);
  };
  const group = (g: number | string, at: number) => {
    if (typeof g === 'number' ? g > regex.groups : !regex.names.includes(g)) fail(typeof g === 'number' ? `invalid group reference ${g}` : `unknown group name '${g}'`, at);
    if (literal) parts.push(literal);
    literal = '';
    parts.push({ group: g });
  };
  while (i < template.length) {
    const c = template[i];
    if (c !== '\\') {
      literal += c;
      i++;
      continue;
    }
    const start = i;
    const n = template[i + 1];
    i += 2;
    if (n === undefined) fail('bad escape (end of pattern)', start);
    if (n === 'g') {
      const m = /^<([^>]*)>/.exec(template.slice(i));
      if (!m) fail('missing group name', start);
      i += m![0].length;
      group(/^\d+$/.test(m![1]) ? Number(m![1]) : m![1], start);
    } else if (n === '0' || (/[1-7]/.test(n) && /^[0-7]{2}/.test(template.slice(i)))) {
      const digits = /^[0-7]{0,2}/.exec(template.slice(i))![0];
      const value = parseInt(n + digits, 8);
      if (value > 0o377) fail(`octal escape value \\${n}${digits} outside of range 0-0o377`, start);
      i += digits.length;
      literal += String.fromCharCode(value);
    } else if (/[1-9]/.test(n)) {
      const more = /^[0-9]?/.exec(template.slice(i))![0];
      i += more.length;
      group(Number(n + more), start);
    } else if (n in ESCAPE_CHARS) literal += String.fromCharCode(ESCAPE_CHARS[n]);
    else if (n === 'b') literal += '\b';
    else if (n === '\\') literal += '\\';
    else if (/[A-Za-z]/.test(n)) fail(`bad escape \\${n}`, start);
    else literal += `\\${n}`;
  }
  if (literal) parts.push(literal);
  return parts;
}

/** A parsed template filled from a match; a group that took no part is empty (Python 3.5+). */
export function expandPyTemplate(parts: readonly TemplatePart[], match: RegExpExecArray): string {
  return parts.map((p) => (typeof p === 'string' ? p : ((typeof p.group === 'number' ? match[p.group] : match.groups?.[p.group]) ?? ''))).join('');
}
