/**
 * What a looping task iterates over, with Ansible's meaning: `loop` takes a list as it is; each
 * `with_<lookup>` runs that lookup plugin on its terms (ansible/plugins/lookup/*.py, ansible-core
 * 2.14), after the terms are templated and listified as TaskExecutor does (a string becomes a
 * one-element list). And the variables each item's run sees (loop_control).
 */
import { globSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { LoopControl, LoopLookup } from '../playbook/types.ts';

/** A term Ansible's lookup would refuse: the task fails with this message. */
export class LoopError extends Error {}

/** The items of a loop, from its terms already rendered; `baseDir` is where with_fileglob looks (the playbook's directory). */
export function loopItems(lookup: LoopLookup | undefined, rendered: unknown, baseDir: string): unknown[] {
  if (lookup === undefined) {
    if (!Array.isArray(rendered)) throw new LoopError(`Invalid data passed to 'loop', it requires a list, got this instead: ${JSON.stringify(rendered)}`);
    return rendered;
  }
  // listify_lookup_plugin_terms: a string, or anything that is not iterable, becomes one term.
  const terms = typeof rendered === 'string' || rendered === null || typeof rendered !== 'object' ? [rendered] : rendered;
  switch (lookup) {
    case 'items':
      return flattenOnce(asList(terms));
    case 'list':
      if (!Array.isArray(terms)) throw new LoopError('with_list expects a list');
      return terms;
    case 'dict':
      return (Array.isArray(terms) ? terms : [terms]).flatMap((d) => {
        if (d === null || typeof d !== 'object' || Array.isArray(d)) throw new LoopError('with_dict expects a dict');
        return Object.entries(d).map(([key, value]) => ({ key, value }));
      });
    case 'together':
      return together(asList(terms));
    case 'sequence':
      return asList(terms).flatMap((t) => sequence(String(t)));
    case 'subelements':
      return subelements(asList(terms));
    case 'fileglob':
      return asList(terms).flatMap((t) => fileglob(String(t), baseDir));
  }
}

function asList(terms: unknown): unknown[] {
  return Array.isArray(terms) ? terms : Object.keys(terms as object);
}

function flattenOnce(list: unknown[]): unknown[] {
  return list.flatMap((x) => (Array.isArray(x) ? x : [x]));
}

/** [1, 2], [3] → [1, 3], [2, null] (Python's zip_longest, each tuple flattened once). */
function together(lists: unknown[]): unknown[] {
  if (lists.length === 0) throw new LoopError('with_together requires at least one element in each list');
  const listed = lists.map((l) => (typeof l === 'string' || l === null || typeof l !== 'object' ? [l] : asList(l)));
  const length = Math.max(...listed.map((l) => l.length));
  return Array.from({ length }, (_, i) => flattenOnce(listed.map((l) => (i < l.length ? l[i] : null))));
}

const NUM = '(0?x?[0-9a-f]+)';
const SHORTCUT = new RegExp(`^(${NUM}-)?${NUM}(/${NUM})?(:(.+))?$`, 'i');

/** Python 3's int(text, 0): decimal without a leading zero (or zeros alone), 0x hex, 0o octal, 0b binary. */
function int0(text: string, what: string): number {
  const m = /^([+-]?)(0x[0-9a-f]+|0o[0-7]+|0b[01]+|0+|[1-9][0-9]*)$/i.exec(text.trim());
  if (!m) throw new LoopError(`can't parse ${what}=${text} as integer`);
  const body = m[2].toLowerCase();
  const base = body.startsWith('0x') ? 16 : body.startsWith('0o') ? 8 : body.startsWith('0b') ? 2 : 10;
  const n = parseInt(base === 10 ? body : body.slice(2), base);
  return m[1] === '-' ? -n : n;
}

/** with_sequence: `[start-]end[/stride][:format]` or `start= end= count= stride= format=`. */
export function sequence(term: string): string[] {
  let start = 1;
  let end: number | undefined;
  let count: number | undefined;
  let stride = 1;
  let format = '%d';
  const m = SHORTCUT.exec(term.trim());
  if (m) {
    if (m[2] !== undefined) start = int0(m[2], 'start');
    end = int0(m[3], 'end');
    if (m[5] !== undefined) stride = int0(m[5], 'stride');
    if (m[7] !== undefined) format = m[7];
  } else {
    for (const word of term.trim().split(/\s+/)) {
      const eq = word.indexOf('=');
      const [key, value] = eq < 0 ? [word, ''] : [word.slice(0, eq), word.slice(eq + 1)];
      if (key === 'start') start = int0(value, key);
      else if (key === 'end') end = int0(value, key);
      else if (key === 'count') count = int0(value, key);
      else if (key === 'stride') stride = int0(value, key);
      else if (key === 'format') format = value;
      else throw new LoopError(`unrecognized arguments to with_sequence: ['${key}']`);
    }
  }
  if (count === undefined && end === undefined) throw new LoopError('must specify count or end in with_sequence');
  if (count !== undefined && end !== undefined) throw new LoopError("can't specify both count and end in with_sequence");
  if (count !== undefined) {
    if (count === 0) [start, end, stride] = [0, 0, 0];
    else end = start + count * stride - 1;
  }
  const last = end!;
  if (stride > 0 && last < start) throw new LoopError('to count backwards make stride negative');
  if (stride < 0 && last > start) throw new LoopError("to count forward don't make stride negative");
  if ((format.match(/%/g) ?? []).length !== 1) throw new LoopError(`bad formatting string: ${format}`);
  // Python's range(start, end + 1, stride); a stride of 0 (count=0) is range's error.
  if (stride === 0) throw new LoopError('with_sequence: the stride must not be 0');
  const out: string[] = [];
  for (let i = start; stride > 0 ? i < last + 1 : i > last - 1; i += stride) out.push(printf(format, i));
  return out;
}

/** Python's `format % n` for the one conversion with_sequence allows: %d %i %u %x %X %o %s with flags and width. */
function printf(format: string, n: number): string {
  return format.replace(/%([-0 +#]*)(\d*)([diuxXos])/, (_, flags: string, width: string, conv: string) => {
    const abs = Math.abs(n);
    let body = conv === 'x' ? abs.toString(16) : conv === 'X' ? abs.toString(16).toUpperCase() : conv === 'o' ? abs.toString(8) : String(abs);
    if (flags.includes('#') && (conv === 'x' || conv === 'X')) body = `0${conv}${body}`;
    const sign = n < 0 ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
    const w = Number(width || 0);
    if (flags.includes('-')) return (sign + body).padEnd(w);
    if (flags.includes('0')) return sign + body.padStart(w - sign.length, '0');
    return (sign + body).padStart(w);
  });
}

/** with_subelements: [list (or dict) of mappings, 'sub.key', {skip_missing}] → [outer, inner] pairs. */
function subelements(terms: unknown[]): unknown[] {
  if (terms.length < 2 || terms.length > 3) throw new LoopError('subelements lookup expects a list of two or three items');
  const [first, path, flags] = terms as [unknown, unknown, unknown];
  if (first === null || typeof first !== 'object' || typeof path !== 'string') {
    throw new LoopError('subelements lookup expects a list of two or three items, first a dict or a list, second a string pointing to the subkey');
  }
  if (!Array.isArray(first) && (first as Record<string, unknown>).skipped !== undefined && (first as Record<string, unknown>).skipped !== false) return [];
  const outer = Array.isArray(first) ? first : Object.values(first);
  const skipMissing = flags !== undefined && flags !== null && typeof flags === 'object' ? [true, 'yes', 'true', 'on', 1, '1'].includes((flags as Record<string, unknown>).skip_missing as never) : false;
  const keys = path.split('.');
  const out: unknown[] = [];
  for (const item0 of outer) {
    if (item0 === null || typeof item0 !== 'object' || Array.isArray(item0)) throw new LoopError(`subelements lookup expects a dictionary, got '${JSON.stringify(item0)}'`);
    const record = item0 as Record<string, unknown>;
    if (record.skipped !== undefined && record.skipped !== false) continue;
    // Ansible pops the list out of the item it iterates, so item.0 no longer holds it.
    const copy = structuredClone(record);
    let value: Record<string, unknown> = copy;
    let sublist: unknown[] = [];
    for (const [i, key] of keys.entries()) {
      if (!(key in value)) {
        if (skipMissing) continue;
        throw new LoopError(`could not find '${key}' key in iterated item '${JSON.stringify(value)}'`);
      }
      const next = value[key];
      if (i < keys.length - 1) {
        if (next === null || typeof next !== 'object' || Array.isArray(next)) {
          if (skipMissing) continue;
          throw new LoopError(`the key ${key} should point to a dictionary, got '${JSON.stringify(next)}'`);
        }
        value = next as Record<string, unknown>;
      } else {
        if (!Array.isArray(next)) throw new LoopError(`the key ${key} should point to a list, got '${JSON.stringify(next)}'`);
        sublist = next;
        delete value[key];
      }
    }
    for (const item1 of sublist) out.push([copy, item1]);
  }
  return out;
}

/**
 * with_fileglob on the controller, as Ansible's fileglob lookup looks: a bare pattern in `files/`
 * beside the playbook, then beside the playbook (the first with a match wins); a pattern with a
 * relative directory in the first of `files/DIR` and `DIR` that exists. Regular files only, as
 * absolute paths, sorted (Ansible gives them in the directory's order).
 */
function fileglob(pattern: string, baseDir: string): string[] {
  const slash = pattern.lastIndexOf('/');
  const name = pattern.slice(slash + 1);
  const dir = pattern.slice(0, slash) || '/';
  const dirs =
    slash < 0
      ? [join(baseDir, 'files'), baseDir]
      : isAbsolute(pattern)
        ? [dir]
        : [join(baseDir, 'files', dir), join(baseDir, dir)].filter((d) => statSync(d, { throwIfNoEntry: false })?.isDirectory()).slice(0, 1);
  for (const d of dirs) {
    const found = globSync(join(d, name)).filter((p) => statSync(p, { throwIfNoEntry: false })?.isFile()).sort();
    if (found.length > 0) return found;
  }
  return [];
}

/** The variables one run of a looping task sees (TaskExecutor._run_loop). */
export function loopItemVars(control: LoopControl | undefined, items: readonly unknown[], index: number): Record<string, unknown> {
  const c = control ?? { loopVar: 'item', extended: false };
  const vars: Record<string, unknown> = { [c.loopVar]: items[index], ansible_loop_var: c.loopVar };
  if (c.indexVar) Object.assign(vars, { [c.indexVar]: index, ansible_index_var: c.indexVar });
  if (c.extended) {
    const length = items.length;
    vars.ansible_loop = {
      ...(c.allItems === false ? {} : { allitems: items }),
      index: index + 1,
      index0: index,
      first: index === 0,
      last: index === length - 1,
      length,
      revindex: length - index,
      revindex0: length - index - 1,
      ...(index > 0 ? { previtem: items[index - 1] } : {}),
      ...(index < length - 1 ? { nextitem: items[index + 1] } : {}),
    };
  }
  return vars;
}
