/**
 * What Jinja2 prints for a value under Ansible: Python's str() — `True`/`False`, lists and dicts as
 * Python writes them (`['a', "it's"]`, `{'k': 1}`, `None` inside them) — with Ansible's finalize,
 * which prints a top-level None as nothing. JavaScript's own String() would print `true`, `a,b`
 * and `[object Object]` into files and commands. And `==` on lists and mappings.
 */
export function pythonStr(value: unknown): unknown {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (Array.isArray(value) || (typeof value === 'object' && value.constructor === Object)) return pythonRepr(value);
  return value;
}

/** Python's repr() of a value read from YAML or JSON. */
export function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'string') return stringRepr(value);
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${stringRepr(k)}: ${pythonRepr(v)}`).join(', ')}}`;
  }
  return String(value);
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Single quotes, unless the text holds one and no double quote (as Python chooses). */
function stringRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ESCAPES[ch]) out += ESCAPES[ch];
    else if (ch === quote) out += `\\${ch}`;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return quote + out + quote;
}

/**
 * `==` for templates: lists and mappings compare by value, as in Python (JavaScript compares them
 * as objects, so `[1] == [1]` was false). Scalars keep loose equality: where Ansible's templating
 * gives the text "11" (a number outside `{{ }}` alone stays text there), lvsdr may hold the number
 * 11, and loose equality gives Ansible's answer for `x == '11'`.
 */
export function pythonEqual(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => pythonEqual(x, b[i]));
  if (isMapping(a) || isMapping(b)) {
    if (!isMapping(a) || !isMapping(b)) return false;
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && pythonEqual(a[k], b[k]));
  }
  return a == b; // loose on purpose (see above)
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && (v as object).constructor === Object;
}
