/**
 * The Ansible filters and tests playbook authors reach for that nunjucks lacks, with Ansible's
 * semantics (Python's JSON spacing, `\1` back-references, skipped nulls in flatten, ...).
 */
import { posix } from 'node:path';
import type nunjucks from 'nunjucks';
import { parse, stringify } from 'yaml';
import { textFilters } from './templating-text-filters.ts';
import { versionCompare } from './templating-version.ts';
import { PYYAML_OPTIONS } from './yaml-source.ts';

type Kwargs = Record<string, unknown> & { __keywords?: true };

/** Nunjucks passes `f(a, key=v)` keyword arguments as a trailing object marked `__keywords`. */
function splitKwargs(args: unknown[]): { positional: unknown[]; kwargs: Kwargs } {
  const last = args[args.length - 1] as Kwargs | undefined;
  if (last && typeof last === 'object' && last.__keywords) {
    const { __keywords: _, ...kwargs } = last;
    return { positional: args.slice(0, -1), kwargs };
  }
  return { positional: args, kwargs: {} };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Python's `json.dumps` spacing (`{"a": 1, "b": [1, 2]}`), optionally indented with sorted keys. */
function pythonJson(value: unknown, indent?: number, depth = 0): string {
  if (value === undefined) return 'null';
  if (Array.isArray(value) || isPlainObject(value)) {
    const entries = Array.isArray(value)
      ? value.map((v) => pythonJson(v, indent, depth + 1))
      : Object.keys(value)
          .sort((a, b) => (indent === undefined ? 0 : a < b ? -1 : a > b ? 1 : 0))
          .map((k) => `${JSON.stringify(k)}: ${pythonJson(value[k], indent, depth + 1)}`);
    const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
    if (entries.length === 0) return open + close;
    if (indent === undefined) return open + entries.join(', ') + close;
    const pad = ' '.repeat(indent * (depth + 1));
    return `${open}\n${pad}${entries.join(`,\n${pad}`)}\n${' '.repeat(indent * depth)}${close}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Python `re` syntax → JavaScript: named groups `(?P<n>` and the inline `(?i)` flag. */
function pythonRegex(pattern: string, flags: string): RegExp {
  let src = pattern.replace(/\(\?P<(\w+)>/g, '(?<$1>').replace(/\(\?P=(\w+)\)/g, '\\k<$1>');
  if (src.startsWith('(?i)')) {
    src = src.slice(4);
    flags += 'i';
  }
  return new RegExp(src, flags);
}

/** Python replacement syntax (`\1`, `\g<1>`, `\g<name>`) → JavaScript's (`$1`, `$<name>`). */
function pythonReplacement(replacement: string): string {
  return replacement
    .replace(/\$/g, '$$$$')
    .replace(/\\g<(\d+)>/g, '$$$1')
    .replace(/\\g<(\w+)>/g, '$$<$1>')
    .replace(/\\(\d)/g, '$$$1');
}

function regexFlags(kwargs: Kwargs, base: string): string {
  return base + (kwargs.ignorecase ? 'i' : '') + (kwargs.multiline ? 'm' : '');
}

function toBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v === 1;
  if (typeof v === 'string') return ['yes', 'on', '1', 'true', 'y', 't'].includes(v.trim().toLowerCase());
  return false;
}

function flatten(list: unknown[], levels: number | undefined, skipNulls: boolean): unknown[] {
  const out: unknown[] = [];
  for (const v of list) {
    if (Array.isArray(v) && (levels === undefined || levels > 0)) out.push(...flatten(v, levels === undefined ? undefined : levels - 1, skipNulls));
    else if (!(skipNulls && (v === null || v === undefined))) out.push(v);
  }
  return out;
}

function combineTwo(a: Record<string, unknown>, b: Record<string, unknown>, recursive: boolean, listMerge: string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const old = out[k];
    if (recursive && isPlainObject(old) && isPlainObject(v)) out[k] = combineTwo(old, v, true, listMerge);
    else if (Array.isArray(old) && Array.isArray(v) && listMerge === 'append') out[k] = [...old, ...v];
    else if (Array.isArray(old) && Array.isArray(v) && listMerge === 'prepend') out[k] = [...v, ...old];
    else out[k] = v;
  }
  return out;
}

function attributePath(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const part of path.split('.')) cur = isPlainObject(cur) || Array.isArray(cur) ? (cur as Record<string, unknown>)[part] : undefined;
  return cur;
}

/** Python's str.splitlines(): the lines without their breaks, no empty line after a final break. */
function pythonSplitlines(s: string): string[] {
  const lines = s.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** What Jinja2 iterates: a list's items, a mapping's keys, a string's characters. */
function requireList(name: string, v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (isPlainObject(v)) return Object.keys(v);
  if (typeof v === 'string') return [...v];
  throw new Error(`filter '${name}' expects a list, got ${v === null ? 'null' : typeof v}`);
}

/** Python's truthiness. */
function truthy(v: unknown): boolean {
  if (Array.isArray(v) || typeof v === 'string') return v.length > 0;
  if (isPlainObject(v)) return Object.keys(v).length > 0;
  return Boolean(v);
}

type TestFn = (value: unknown, ...args: unknown[]) => boolean;
type FilterThis = { env: { getTest(name: string): TestFn; getFilter(name: string): (...a: unknown[]) => unknown } };

/** Jinja2's selectattr/rejectattr: the items whose attribute passes a test (truthiness without one). */
function selectByAttr(self: FilterThis, name: string, v: unknown, args: unknown[], keep: boolean): unknown[] {
  const [attr, test, ...testArgs] = args;
  if (typeof attr !== 'string') throw new Error(`${name} needs an attribute name`);
  const passes = (value: unknown) => (test === undefined ? truthy(value) : self.env.getTest(String(test)).call(self, value, ...testArgs) === true);
  return requireList(name, v).filter((item) => passes(attributePath(item, attr)) === keep);
}

function requireDict(name: string, v: unknown): Record<string, unknown> {
  if (isPlainObject(v)) return v;
  throw new Error(`filter '${name}' expects a mapping, got ${Array.isArray(v) ? 'a list' : v === null ? 'null' : typeof v}`);
}

export function installAnsibleFilters(env: nunjucks.Environment): void {
  const filters: Record<string, (this: { env: nunjucks.Environment }, value: unknown, ...args: unknown[]) => unknown> = {
    bool: (v) => toBool(v),
    // Ansible's int and float give 0 for what does not parse (nunjucks' give undefined).
    int: (v, ...args) => {
      const { positional, kwargs } = splitKwargs(args);
      const base = Number(kwargs.base ?? positional[1] ?? 10);
      const text = typeof v === 'number' ? String(Math.trunc(v)) : String(v).trim().replace(/^0x/i, base === 16 ? '' : '0x');
      const n = typeof v === 'boolean' ? Number(v) : parseInt(text, base);
      return Number.isNaN(n) ? (kwargs.default ?? positional[0] ?? 0) : n;
    },
    float: (v, ...args) => {
      const { positional, kwargs } = splitKwargs(args);
      const n = typeof v === 'boolean' ? Number(v) : parseFloat(String(v));
      return Number.isNaN(n) ? (kwargs.default ?? positional[0] ?? 0) : n;
    },
    // Jinja2 3's indent (nunjucks' indents blank lines too, so a block ending in a newline got a
    // line of spaces): width is a number of spaces or the indentation text; `first`, `blank`.
    indent: (v, ...args) => {
      const { positional, kwargs } = splitKwargs(args);
      const width = kwargs.width ?? positional[0] ?? 4;
      const pad = typeof width === 'string' ? width : ' '.repeat(Number(width));
      const lines = pythonSplitlines(`${String(v ?? '')}\n`);
      const rest = lines.slice(1).map((l) => (truthy(kwargs.blank ?? positional[2]) || l !== '' ? pad + l : l));
      const text = [lines[0] ?? '', ...rest].join('\n');
      return truthy(kwargs.first ?? positional[1]) ? pad + text : text;
    },
    to_json: (v) => pythonJson(v),
    to_nice_json: (v, ...args) => {
      const { positional, kwargs } = splitKwargs(args);
      return pythonJson(v, Number(kwargs.indent ?? positional[0] ?? 4));
    },
    from_json: (v) => JSON.parse(String(v)),
    regex_replace: (v, ...args) => {
      const { positional, kwargs } = splitKwargs(args);
      const [pattern, replacement = ''] = positional as string[];
      return String(v).replace(pythonRegex(String(pattern), regexFlags(kwargs, 'g')), pythonReplacement(String(replacement)));
    },
    regex_search: (v, ...args) => {
      const { positional, kwargs } = splitKwargs(args);
      const [pattern, ...groups] = positional as string[];
      const m = pythonRegex(String(pattern), regexFlags(kwargs, '')).exec(String(v));
      if (!m) return null;
      if (groups.length === 0) return m[0];
      return groups.map((g) => {
        const ref = /^\\g<(\w+)>$/.exec(g) ?? /^\\(\d+)$/.exec(g);
        if (!ref) throw new Error(`regex_search: group '${g}' must look like '\\1' or '\\g<name>'`);
        return /^\d+$/.test(ref[1]) ? m[Number(ref[1])] : m.groups?.[ref[1]];
      });
    },
    regex_findall: (v, pattern) => [...String(v).matchAll(pythonRegex(String(pattern), 'g'))].map((m) => (m.length > 1 ? m[1] : m[0])),
    unique: (v) => {
      const seen = new Set<string>();
      return requireList('unique', v).filter((x) => {
        const key = JSON.stringify(x) ?? 'undefined';
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    },
    flatten: (v, ...args) => {
      const { positional, kwargs } = splitKwargs(args);
      const levels = kwargs.levels ?? positional[0];
      return flatten(requireList('flatten', v), levels == null ? undefined : Number(levels), kwargs.skip_nulls !== false);
    },
    ternary: (v, ifTrue, ifFalse, ifNone) => (v === null && ifNone !== undefined ? ifNone : v ? ifTrue : ifFalse),
    mandatory: (v, msg) => {
      if (v === undefined) throw new Error(typeof msg === 'string' ? msg : 'mandatory variable not defined');
      return v;
    },
    dict2items: (v, ...args) => {
      const { kwargs } = splitKwargs(args);
      const [k, val] = [String(kwargs.key_name ?? 'key'), String(kwargs.value_name ?? 'value')];
      return Object.entries(requireDict('dict2items', v)).map(([key, value]) => ({ [k]: key, [val]: value }));
    },
    items2dict: (v, ...args) => {
      const { kwargs } = splitKwargs(args);
      const [k, val] = [String(kwargs.key_name ?? 'key'), String(kwargs.value_name ?? 'value')];
      return Object.fromEntries(requireList('items2dict', v).map((item) => [String(requireDict('items2dict', item)[k]), (item as Record<string, unknown>)[val]]));
    },
    combine: (v, ...args) => {
      const { positional, kwargs } = splitKwargs(args);
      const dicts = [v, ...positional].flatMap((d) => (Array.isArray(d) ? d : [d])).map((d) => requireDict('combine', d));
      return dicts.reduce((acc, d) => combineTwo(acc, d, Boolean(kwargs.recursive), String(kwargs.list_merge ?? 'replace')), {});
    },
    selectattr: function (v, ...args) {
      return selectByAttr(this as unknown as FilterThis, 'selectattr', v, args, true);
    },
    rejectattr: function (v, ...args) {
      return selectByAttr(this as unknown as FilterThis, 'rejectattr', v, args, false);
    },
    // Jinja2's list(): a mapping gives its keys, a string its characters.
    list: (v) => (v === null || v === undefined ? [] : [...requireList('list', v)]),
    map: function (v, ...args) {
      const { positional, kwargs } = splitKwargs(args);
      const list = requireList('map', v);
      if (typeof kwargs.attribute === 'string') {
        const attr = kwargs.attribute;
        return list.map((item) => attributePath(item, attr) ?? kwargs.default);
      }
      const [filterName, ...rest] = positional;
      if (typeof filterName !== 'string') throw new Error("map needs a filter name or attribute='...'");
      const filter = this.env.getFilter(filterName);
      return list.map((item) => filter.call(this, item, ...rest));
    },
    // `loop: "{{ vips | subelements('ports') }}"` gives [vip, port] pairs, as in Ansible.
    subelements: (v, ...args) => {
      const { positional, kwargs } = splitKwargs(args);
      const key = String(positional[0]);
      const skipMissing = Boolean(kwargs.skip_missing ?? (isPlainObject(positional[1]) ? (positional[1] as Kwargs).skip_missing : false));
      return requireList('subelements', v).flatMap((item) => {
        const sub = attributePath(item, key);
        if (sub === undefined && skipMissing) return [];
        if (!Array.isArray(sub)) throw new Error(`subelements: '${key}' of ${JSON.stringify(item)} is not a list`);
        return sub.map((s) => [item, s]);
      });
    },
    zip: (v, ...others) => requireList('zip', v).map((x, i) => [x, ...others.map((o) => requireList('zip', o)[i])]).filter((t) => t.every((x) => x !== undefined)),
    product: (v, ...others) =>
      [v, ...others].map((l) => requireList('product', l)).reduce<unknown[][]>((acc, list) => acc.flatMap((t) => list.map((x) => [...t, x])), [[]]),
    union: (v, other) => [...new Map([...requireList('union', v), ...requireList('union', other)].map((x) => [JSON.stringify(x), x])).values()],
    intersect: (v, other) => {
      const keys = new Set(requireList('intersect', other).map((x) => JSON.stringify(x)));
      return requireList('intersect', v).filter((x) => keys.has(JSON.stringify(x)));
    },
    difference: (v, other) => {
      const keys = new Set(requireList('difference', other).map((x) => JSON.stringify(x)));
      return requireList('difference', v).filter((x) => !keys.has(JSON.stringify(x)));
    },
    count: (v) => (Array.isArray(v) || typeof v === 'string' ? v.length : isPlainObject(v) ? Object.keys(v).length : 0),
    min: (v) => Math.min(...(requireList('min', v) as number[])),
    max: (v) => Math.max(...(requireList('max', v) as number[])),
    to_yaml: (v) => stringify(v),
    from_yaml: (v) => parse(String(v), PYYAML_OPTIONS),
    b64encode: (v) => Buffer.from(String(v), 'utf8').toString('base64'),
    b64decode: (v) => Buffer.from(String(v), 'base64').toString('utf8'),
    split: (v, sep) => (sep == null ? String(v).trim().split(/\s+/).filter(Boolean) : String(v).split(String(sep))),
    basename: (v) => posix.basename(String(v)),
    dirname: (v) => posix.dirname(String(v)),
    ...textFilters,
  };
  for (const [name, fn] of Object.entries(filters)) env.addFilter(name, fn);
  // Nunjucks' own first/last/sort/reverse/join/batch/slice/random treat a mapping as no items; Jinja2 iterates its keys.
  for (const name of ['first', 'last', 'sort', 'reverse', 'join', 'batch', 'slice', 'random', 'select', 'reject']) {
    const builtin = env.getFilter(name) as (this: unknown, v: unknown, ...a: unknown[]) => unknown;
    env.addFilter(name, function (this: unknown, v: unknown, ...a: unknown[]) {
      return builtin.call(this, isPlainObject(v) ? Object.keys(v) : v, ...a);
    });
  }

  const result = (v: unknown) => (isPlainObject(v) ? v : {});
  const tests: Record<string, (value: unknown, ...args: unknown[]) => boolean> = {
    match: (v, pattern) => pythonRegex(`^(?:${String(pattern)})`, '').test(String(v)),
    search: (v, pattern) => pythonRegex(String(pattern), '').test(String(v)),
    regex: (v, pattern) => pythonRegex(String(pattern), '').test(String(v)),
    contains: (v, item) => (Array.isArray(v) ? v.includes(item) : String(v).includes(String(item))),
    in: (v, container) => (Array.isArray(container) ? container.includes(v) : isPlainObject(container) ? Object.hasOwn(container, String(v)) : String(container).includes(String(v))),
    // Jinja2 tests nunjucks lacks or spells differently.
    none: (v) => v === null || v === undefined,
    boolean: (v) => typeof v === 'boolean',
    integer: (v) => Number.isInteger(v),
    float: (v) => typeof v === 'number' && !Number.isInteger(v),
    sequence: (v) => Array.isArray(v) || typeof v === 'string',
    true: (v) => v === true,
    false: (v) => v === false,
    // Tests on registered task results, as in `when: result is changed`.
    changed: (v) => result(v).changed === true,
    failed: (v) => result(v).failed === true,
    succeeded: (v) => result(v).failed !== true,
    success: (v) => result(v).failed !== true,
    skipped: (v) => result(v).skipped === true,
    unreachable: (v) => result(v).unreachable === true,
    reachable: (v) => result(v).unreachable !== true,
    version: (v, ...args) => {
      const { positional, kwargs } = splitKwargs(args);
      return versionCompare(v, positional[0], positional[1] ?? kwargs.operator ?? 'eq', { strict: kwargs.strict, version_type: kwargs.version_type });
    },
    version_compare: (v, ...args) => tests.version(v, ...args),
    subset: (v, other) => requireList('subset', v).every((x) => requireList('subset', other).some((y) => JSON.stringify(y) === JSON.stringify(x))),
    superset: (v, other) => requireList('superset', other).every((x) => requireList('superset', v).some((y) => JSON.stringify(y) === JSON.stringify(x))),
  };
    // addTest exists at run time but is missing from @types/nunjucks.
  const withTests = env as unknown as { addTest(name: string, fn: (value: unknown, ...args: unknown[]) => boolean): void };
  for (const [name, fn] of Object.entries(tests)) withTests.addTest(name, fn);
}

