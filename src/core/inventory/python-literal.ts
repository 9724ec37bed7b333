/**
 * Values in Ansible INI inventories go through Python's ast.literal_eval, and stay strings when that
 * fails: `2222` is a number, `True` a boolean, `'a b'` a string, `[1, 2]` a list, `yes` and `0644`
 * strings. This reads the literals that occur in inventories: None, True, False, decimal ints and
 * floats, quoted strings, lists, tuples and dicts of them.
 */

/**
 * The value of a Python literal, or the text itself when it is not one. `jsonNames`: `true`,
 * `false` and `null` read as True, False and None, as ansible_eval_concat's Json2Python does
 * before its literal_eval (templates); an inventory's literal_eval knows no such names.
 */
export function pythonLiteral(text: string, opts: { jsonNames?: boolean } = {}): unknown {
  const parser = new LiteralParser(text, opts.jsonNames === true);
  try {
    const value = parser.value();
    parser.skipSpace();
    return parser.atEnd() ? value : text;
  } catch (err) {
    if (err instanceof NotALiteral) return text;
    throw err;
  }
}

class NotALiteral extends Error {}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', '\\': '\\', "'": "'", '"': '"' };

class LiteralParser {
  private readonly s: string;
  private readonly jsonNames: boolean;
  private i = 0;

  constructor(s: string, jsonNames: boolean) {
    this.s = s;
    this.jsonNames = jsonNames;
  }

  atEnd(): boolean {
    return this.i >= this.s.length;
  }

  skipSpace(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }

  value(): unknown {
    this.skipSpace();
    const c = this.s[this.i];
    if (c === "'" || c === '"') return this.string(c);
    if (c === '[') return this.sequence(']');
    if (c === '(') return this.sequence(')');
    if (c === '{') return this.dict();
    const json = this.jsonNames ? /^(?:true|false|null)(?![\w.])/.exec(this.s.slice(this.i)) : null;
    if (json) {
      this.i += json[0].length;
      return json[0] === 'null' ? null : json[0] === 'true';
    }
    const m = /^(?:None|True|False|[+-]?(?:(?:[1-9][0-9]*|0)(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)(?![\w.])/.exec(this.s.slice(this.i));
    if (!m) throw new NotALiteral();
    this.i += m[0].length;
    if (m[0] === 'None') return null;
    if (m[0] === 'True' || m[0] === 'False') return m[0] === 'True';
    return Number(m[0]);
  }

  private string(quote: string): string {
    let out = '';
    for (this.i++; this.i < this.s.length; this.i++) {
      const c = this.s[this.i];
      if (c === quote) {
        this.i++;
        return out;
      }
      if (c === '\\' && this.i + 1 < this.s.length) {
        const next = this.s[++this.i];
        out += ESCAPES[next] ?? `\\${next}`;
      } else {
        out += c;
      }
    }
    throw new NotALiteral();
  }

  private sequence(close: string): unknown[] {
    const items: unknown[] = [];
    this.i++;
    for (;;) {
      this.skipSpace();
      if (this.s[this.i] === close) break;
      items.push(this.value());
      this.skipSpace();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== close) throw new NotALiteral();
    }
    this.i++;
    return items;
  }

  private dict(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.i++;
    for (;;) {
      this.skipSpace();
      if (this.s[this.i] === '}') break;
      const key = this.value();
      this.skipSpace();
      if (this.s[this.i++] !== ':') throw new NotALiteral();
      out[String(key)] = this.value();
      this.skipSpace();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== '}') throw new NotALiteral();
    }
    this.i++;
    return out;
  }
}
