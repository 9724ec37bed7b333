/**
 * Reading typed keyword values out of YAML nodes: each reader either returns the value or records
 * a positioned problem and returns undefined, so one pass over a playbook finds every problem.
 */
import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import type { ProblemList, SourcePos } from '../errors.ts';
import type { YamlSource } from '../yaml-source.ts';

export interface Reader {
  src: YamlSource;
  problems: ProblemList;
}

export function keyName(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

/** A YAML node as a plain JavaScript value. */
export function toJS(r: Reader, node: unknown): unknown {
  if (node === null || node === undefined) return null;
  return (node as Node).toJS(r.src.doc);
}

function fail(r: Reader, node: unknown, message: string, hint?: string): undefined {
  r.problems.add({ pos: r.src.posOf(node), message, hint });
  return undefined;
}

export function readMap(r: Reader, node: unknown, what: string, hint?: string): YAMLMap | undefined {
  if (isMap(node)) return node;
  return fail(r, node, `${what} must be a mapping, not ${describe(node)}`, hint);
}

export function readString(r: Reader, node: unknown, key: string): string | undefined {
  if (isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number')) return String(node.value);
  return fail(r, node, `'${key}' must be a string, not ${describe(node)}`);
}

const TRUE_WORDS = ['true', 'yes', 'on'];
const FALSE_WORDS = ['false', 'no', 'off'];

/** A boolean; YAML 1.1's yes/no/on/off are accepted because Ansible playbooks are full of them. */
export function readBool(r: Reader, node: unknown, key: string): boolean | undefined {
  if (isScalar(node)) {
    if (typeof node.value === 'boolean') return node.value;
    const word = String(node.value).toLowerCase();
    if (TRUE_WORDS.includes(word)) return true;
    if (FALSE_WORDS.includes(word)) return false;
  }
  return fail(r, node, `'${key}' must be true or false, not ${describe(node)}`);
}

export function readNumber(r: Reader, node: unknown, key: string, min: number, max = Infinity): number | undefined {
  if (isScalar(node) && typeof node.value === 'number' && node.value >= min && node.value <= max) return node.value;
  const range = max === Infinity ? `at least ${min}` : `from ${min} to ${max}`;
  return fail(r, node, `'${key}' must be a number ${range}, not ${describe(node)}`);
}

/**
 * `throttle`: a whole number, 0 for no limit (Ansible's int field). Ansible also templates it with
 * the first host's variables; lvsdr takes it as written, so a template is refused rather than
 * read some other way.
 */
export function readThrottle(r: Reader, node: unknown): number | undefined {
  const value = isScalar(node) && typeof node.value === 'string' && /^\s*[0-9]+\s*$/.test(node.value) ? Number(node.value) : isScalar(node) ? node.value : undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  return fail(r, node, `'throttle' must be a whole number of hosts (0: no limit), not ${describe(node)}`);
}

/**
 * `any_errors_fatal`: false is what lvsdr does. True is refused: Ansible's free strategy, as
 * lvsdr runs hosts, does not support it either (it warns and goes on), as each host runs its
 * tasks without waiting for the others, so they cannot all stop before the next task.
 */
export function checkAnyErrorsFatal(r: Reader, node: unknown): void {
  if (readBool(r, node, 'any_errors_fatal') !== true) return;
  r.problems.add({
    pos: r.src.posOf(node),
    message: "any_errors_fatal is not supported: lvsdr runs hosts as Ansible's free strategy does, which does not support it (a host does not wait for the others, so they cannot all stop before the next task)",
    hint: 'to stop at the first failing host, run the play with serial: 1 and max_fail_percentage: 0',
  });
}

/** A string or a list of strings (Ansible accepts both for notify, tags, listen). */
export function readStringList(r: Reader, node: unknown, key: string): string[] | undefined {
  const items = isSeq(node) ? node.items : [node];
  const out: string[] = [];
  for (const item of items) {
    if (isScalar(item) && item.value !== null && typeof item.value !== 'object') out.push(String(item.value));
    else return fail(r, item, `'${key}' must be a string or a list of strings, not ${describe(item)}`);
  }
  return out;
}

/** Conditions: an expression, a boolean, or a list of them (all must hold). */
export function readConditions(r: Reader, node: unknown, key: string): string[] | undefined {
  const items = isSeq(node) ? node.items : [node];
  const out: string[] = [];
  for (const item of items) {
    if (isScalar(item) && ['string', 'boolean', 'number'].includes(typeof item.value)) out.push(String(item.value));
    else return fail(r, item, `'${key}' must be a condition (an expression or true/false) or a list of them, not ${describe(item)}`);
  }
  return out;
}

export function describe(node: unknown): string {
  if (node === null || node === undefined) return 'empty';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return 'empty (null)';
    if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v)}`;
    return `${typeof v} ${String(v)}`;
  }
  return 'an alias';
}

/** JSON-pointer paths (as ajv reports them) of every node under `node`, to their source positions. */
export function argPositions(r: Reader, node: unknown, base = '', out = new Map<string, SourcePos>()): Map<string, SourcePos> {
  out.set(base, r.src.posOf(node));
  if (isMap(node)) {
    for (const pair of node.items) {
      const path = `${base}/${keyName(pair).replace(/~/g, '~0').replace(/\//g, '~1')}`;
      argPositions(r, pair.value ?? pair.key, path, out);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => argPositions(r, item, `${base}/${i}`, out));
  }
  return out;
}
