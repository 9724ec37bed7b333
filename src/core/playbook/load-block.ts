/**
 * `block` / `rescue` / `always`, and the keywords tasks inherit from the block (or import line)
 * around them, as Ansible's tasks do (playbook/task.py `_get_parent_attribute`): `when` conditions
 * add up, outermost first; tags add up; `vars` merge, the innermost on top; notify, ignore_errors,
 * no_log, diff, check_mode, run_once, timeout, throttle, delegate_to, delegate_facts and the access keywords apply where the task does not set its own;
 * ignore_unreachable inherits the same way; `environment`s add up, the innermost winning a name both set.
 */
import type { Pair, YAMLMap } from 'yaml';
import { closestName, type SourcePos } from '../errors.ts';
import { readAccessKeywords } from './access-keywords.ts';
import { readDelegateTo } from './delegate-to.ts';
import { readEnvironment } from './environment-keyword.ts';
import { BLOCK_KEYWORDS } from './keywords.ts';
import { readVars } from './load.ts';
import { allTasks, type AccessKeywords, type Block, type Task, type TaskNode } from './types.ts';
import { checkAnyErrorsFatal, keyName, readBool, readConditions, readNumber, readString, readStringList, readThrottle, type Reader } from './yaml-read.ts';

/** What a block or an import line hands down to the tasks under it; `positions` says where each was written. */
export interface Inherited {
  when?: string[];
  tags?: string[];
  vars?: Record<string, unknown>;
  access?: AccessKeywords;
  notify?: string[];
  ignoreErrors?: boolean;
  ignoreUnreachable?: boolean;
  noLog?: boolean;
  diff?: boolean;
  checkMode?: boolean;
  runOnce?: boolean;
  timeout?: number;
  throttle?: number;
  environment?: unknown[];
  delegateTo?: string;
  delegateFacts?: boolean;
  positions: Map<string, SourcePos>;
}

/**
 * Applies `from` to every task under `nodes` (in place: loading made them) and returns `nodes`. The
 * tasks of an include_tasks read with the playbook take it too, as Ansible's included tasks take
 * the keywords of what is around the include line (Block._get_parent_attribute skips the dynamic
 * include itself); the line keeps it for a file it reads at run time.
 */
export function inheritKeywords(nodes: TaskNode[], from: Inherited): TaskNode[] {
  for (const task of allTasks(nodes)) {
    task.include?.inherited.push(from);
    task.when = [...(from.when ?? []), ...task.when];
    task.tags = [...new Set([...(from.tags ?? []), ...task.tags])];
    task.vars = { ...from.vars, ...task.vars };
    task.access = { ...from.access, ...task.access };
    task.environment = [...(from.environment ?? []), ...task.environment];
    const unset = (key: string) => from.positions.has(key) && !task.keywordPos?.has(key);
    const inherit = (key: string, set: (t: Task) => void) => {
      if (!unset(key)) return;
      set(task);
      (task.keywordPos ??= new Map()).set(key, from.positions.get(key)!);
    };
    if (from.notify) inherit('notify', (t) => (t.notify = from.notify!));
    if (from.ignoreErrors !== undefined) inherit('ignore_errors', (t) => (t.ignoreErrors = from.ignoreErrors!));
    if (from.ignoreUnreachable !== undefined) inherit('ignore_unreachable', (t) => (t.ignoreUnreachable = from.ignoreUnreachable));
    if (from.noLog !== undefined) inherit('no_log', (t) => (t.noLog = from.noLog!));
    if (from.diff !== undefined) inherit('diff', (t) => (t.diff = from.diff));
    if (from.checkMode !== undefined) inherit('check_mode', (t) => (t.checkMode = from.checkMode));
    if (from.runOnce !== undefined) inherit('run_once', (t) => (t.runOnce = from.runOnce));
    if (from.timeout !== undefined) inherit('timeout', (t) => (t.timeout = from.timeout));
    if (from.throttle !== undefined) inherit('throttle', (t) => (t.throttle = from.throttle));
    if (from.delegateTo !== undefined) inherit('delegate_to', (t) => (t.delegateTo = from.delegateTo));
    if (from.delegateFacts !== undefined) inherit('delegate_facts', (t) => (t.delegateFacts = from.delegateFacts));
    if (from.when?.length && !task.keywordPos?.has('when')) (task.keywordPos ??= new Map()).set('when', from.positions.get('when')!);
  }
  return nodes;
}

type LoadList = (node: unknown, key: string) => TaskNode[];

/** A task-list entry holding `block` (or, wrongly, `rescue` or `always` alone). */
export function isBlockEntry(map: YAMLMap): boolean {
  return map.items.some((p) => ['block', 'rescue', 'always'].includes(keyName(p)));
}

export function loadBlock(r: Reader, map: YAMLMap, loadList: LoadList): Block | undefined {
  const pairs = new Map<string, Pair>();
  for (const pair of map.items) {
    const key = keyName(pair);
    pairs.set(key, pair);
    if ((BLOCK_KEYWORDS as readonly string[]).includes(key)) continue;
    const near = closestName(key, BLOCK_KEYWORDS);
    r.problems.add({
      pos: r.src.posOf(pair.key),
      message: `'${key}' cannot be used on a block`,
      hint: near ? `did you mean '${near}'?` : `a block holds tasks under block:, rescue: and always:, and may carry ${BLOCK_KEYWORDS.slice(3).join(', ')}`,
    });
  }
  if (!pairs.has('block')) {
    const lone = pairs.get('rescue') ?? pairs.get('always')!;
    r.problems.add({ pos: r.src.posOf(lone.key), message: `'${keyName(lone)}' without 'block'`, hint: `put the tasks it guards under block: in the same entry, above ${keyName(lone)}:` });
    return undefined;
  }
  const value = (key: string) => pairs.get(key)?.value;
  const from = readInherited(r, pairs);
  const section = (key: string) => (pairs.has(key) ? inheritKeywords(loadList(value(key), key), from) : []);
  return {
    kind: 'block',
    ...(pairs.has('name') ? { name: readString(r, value('name'), 'name') } : {}),
    block: section('block'),
    rescue: section('rescue'),
    always: section('always'),
    pos: r.src.posOf(map),
  };
}

/** The keywords of a block (or of include_tasks' `apply`) that its tasks take. */
export function readInherited(r: Reader, pairs: Map<string, Pair>): Inherited {
  const value = (key: string) => pairs.get(key)?.value;
  const positions = new Map([...pairs].map(([k, p]) => [k, r.src.posOf(p.value ?? p.key)]));
  const from: Inherited = { positions, access: readAccessKeywords(r, pairs) };
  if (pairs.has('when')) from.when = readConditions(r, value('when'), 'when') ?? [];
  if (pairs.has('tags')) from.tags = readStringList(r, value('tags'), 'tags') ?? [];
  if (pairs.has('vars')) from.vars = readVars(r, value('vars')) ?? {};
  if (pairs.has('notify')) from.notify = readStringList(r, value('notify'), 'notify') ?? [];
  if (pairs.has('ignore_errors')) from.ignoreErrors = readBool(r, value('ignore_errors'), 'ignore_errors');
  if (pairs.has('ignore_unreachable')) from.ignoreUnreachable = readBool(r, value('ignore_unreachable'), 'ignore_unreachable');
  if (pairs.has('any_errors_fatal')) checkAnyErrorsFatal(r, value('any_errors_fatal'));
  if (pairs.has('no_log')) from.noLog = readBool(r, value('no_log'), 'no_log');
  if (pairs.has('diff')) from.diff = readBool(r, value('diff'), 'diff');
  if (pairs.has('check_mode')) from.checkMode = readBool(r, value('check_mode'), 'check_mode');
  if (pairs.has('run_once')) from.runOnce = readBool(r, value('run_once'), 'run_once');
  if (pairs.has('timeout')) from.timeout = readNumber(r, value('timeout'), 'timeout', 1);
  if (pairs.has('throttle')) from.throttle = readThrottle(r, value('throttle'));
  if (pairs.has('environment')) from.environment = readEnvironment(r, value('environment'));
  Object.assign(from, readDelegateTo(r, pairs));
  return from;
}
