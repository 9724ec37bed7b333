/**
 * One task (or handler) from its YAML mapping: exactly one module key plus keywords. Problems are
 * recorded with positions; a task with problems is still returned when its shape allows, so later
 * checks (undefined variables, notify) can run over the rest of the playbook.
 */
import { isMap, isScalar, type Pair, type YAMLMap } from 'yaml';
import { closestName } from '../errors.ts';
import type { ModuleDef } from '../../modules/types.ts';
import { readAccessKeywords } from './access-keywords.ts';
import { FreeFormError, parseFreeForm, type FreeFormArgs } from './free-form.ts';
import { LOOP_LOOKUPS, type LoopLookup, type Task } from './types.ts';
import { HANDLER_KEYWORDS, shortModuleName, TASK_KEYWORDS, UNSUPPORTED, type ModuleLookup } from './keywords.ts';
import { readVars } from './load.ts';
import { readLoopControl } from './loop-control.ts';
import { checkMetaTask } from './meta-task.ts';
import { readDelegateTo } from './delegate-to.ts';
import { readEnvironment } from './environment-keyword.ts';
import { argPositions, checkAnyErrorsFatal, describe, keyName, readBool, readConditions, readNumber, readString, readStringList, readThrottle, toJS, type Reader } from './yaml-read.ts';

const REGISTER_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function loadTask(r: Reader, node: YAMLMap, modules: ModuleLookup, isHandler: boolean): Task | undefined {
  const keywords: readonly string[] = isHandler ? HANDLER_KEYWORDS : TASK_KEYWORDS;
  const pairs = new Map<string, Pair>();
  const candidates: Pair[] = [];
  for (const pair of node.items) {
    const key = keyName(pair);
    pairs.set(key, pair);
    if (!keywords.includes(key)) candidates.push(pair);
  }
  const modulePair = pickModule(r, node, candidates, keywords, modules);
  const task = { ...readKeywords(r, pairs, isHandler), ...readDelegateTo(r, pairs) };
  if (!modulePair) return undefined;

  const module = shortModuleName(keyName(modulePair));
  const def = modules.get(module)!;
  const argsNode = modulePair.value;
  const written: unknown = toJS(r, argsNode) ?? {};
  if (typeof written !== 'string' && (typeof written !== 'object' || Array.isArray(written))) {
    r.problems.add({ pos: r.src.posOf(argsNode), message: `arguments of module '${module}' must be a mapping, not ${describe(argsNode)}` });
    return undefined;
  }
  const extra = pairs.get('args');
  if (extra && !isMap(extra.value)) {
    r.problems.add({ pos: r.src.posOf(extra.value), message: `'args' must be a mapping, not ${describe(extra.value)}` });
    return undefined;
  }
  // As Ansible's ModuleArgsParser: `args:` first, then what the module key holds on top of it.
  const fromArgs = extra ? (toJS(r, extra.value) as Record<string, unknown>) : {};
  const args = typeof written === 'string' ? freeFormArgs(r, argsNode, written, module, def, fromArgs) : { ...fromArgs, ...written };
  if (!args) return undefined;
  if (module === 'meta' && !checkMetaTask(r, pairs, modulePair, args, isHandler)) return undefined;
  const positions = argPositions(r, argsNode ?? modulePair.key);
  if (extra) for (const [path, pos] of argPositions(r, extra.value)) if (path && !positions.has(path)) positions.set(path, pos);
  return {
    ...task,
    name: task.name ?? defaultName(module, written),
    module,
    args,
    pos: r.src.posOf(node),
    argsPos: r.src.posOf(argsNode ?? modulePair.key),
    argPositions: positions,
    keywordPos: new Map([...pairs].filter(([k]) => keywords.includes(k)).map(([k, p]) => [k, r.src.posOf(p.value ?? p.key)])),
  };
}

/**
 * A module's arguments written as one string, read as Ansible's parse_kv reads them (free-form.ts):
 * `key=value` words, and for command and shell the rest as the command. Ansible refuses a `cmd`
 * in `args:` beside a free-form command, and free-form words for any other module.
 */
function freeFormArgs(r: Reader, node: unknown, text: string, module: string, def: ModuleDef, fromArgs: Record<string, unknown>): Record<string, unknown> | undefined {
  let parsed: FreeFormArgs;
  try {
    // Ansible's check_raw: only for its free-form command modules are other key=value words part of the command.
    parsed = parseFreeForm(text, module === 'command' || module === 'shell');
  } catch (err) {
    if (!(err instanceof FreeFormError)) throw err;
    r.problems.add({ pos: r.src.posOf(node), message: `arguments of module '${module}': ${err.message}`, hint: 'close the quote or the template, or write the arguments as a mapping' });
    return undefined;
  }
  if (parsed.raw === undefined) return { ...fromArgs, ...parsed.options };
  if (!def.freeForm) {
    r.problems.add({
      pos: r.src.posOf(node),
      message: `module '${module}' takes key=value arguments, not free-form text (${JSON.stringify(parsed.raw)})`,
      hint: `write its arguments as key=value words or as key: value lines under '${module}:'`,
    });
    return undefined;
  }
  if ('cmd' in fromArgs) {
    r.problems.add({
      pos: r.src.posOf(node),
      message: `module '${module}' has a command both here and in 'args: cmd'`,
      hint: 'put the command in one place or the other, as Ansible requires',
    });
    return undefined;
  }
  return { ...fromArgs, ...parsed.options, ...def.freeForm(parsed.raw) };
}

/** The one module key among the non-keyword keys, with a problem for anything else found there. */
function pickModule(r: Reader, node: YAMLMap, candidates: Pair[], keywords: readonly string[], modules: ModuleLookup): Pair | undefined {
  const known = candidates.filter((p) => modules.get(shortModuleName(keyName(p))));
  const unknown = candidates.filter((p) => !known.includes(p));
  const moduleList = modules.names().join(', ');
  if (known.length > 1) {
    r.problems.add({
      pos: r.src.posOf(known[1].key),
      message: `task has more than one module: ${known.map(keyName).join(', ')}`,
      hint: 'a task runs exactly one module: split it into one task per module',
    });
  }
  for (const pair of unknown) {
    const key = keyName(pair);
    const pos = r.src.posOf(pair.key);
    if (UNSUPPORTED[key]) {
      r.problems.add({ pos, message: `'${key}' is not supported`, hint: UNSUPPORTED[key] });
      continue;
    }
    const nearKeyword = closestName(key, keywords);
    const nearModule = closestName(shortModuleName(key), modules.names());
    if (known.length === 0 && unknown.length === 1 && !nearKeyword) {
      r.problems.add({
        pos,
        message: `unknown module '${key}'`,
        hint: `${nearModule ? `did you mean '${nearModule}'? ` : ''}known modules: ${moduleList}`,
      });
    } else {
      const near = nearKeyword ?? nearModule;
      r.problems.add({
        pos,
        message: `unknown task keyword '${key}'`,
        hint: near ? `did you mean '${near}'?` : `task keywords: ${keywords.join(', ')}; modules: ${moduleList}`,
      });
    }
  }
  if (candidates.length === 0) {
    r.problems.add({ pos: r.src.posOf(node), message: 'task has no module', hint: `add exactly one module key, one of: ${moduleList}` });
  }
  return known.length === 1 ? known[0] : undefined;
}

export type TaskKeywords = Omit<Task, 'name' | 'module' | 'args' | 'pos' | 'argsPos' | 'argPositions'> & { name?: string };

/**
 * The task's keywords; a keyword with a problem (recorded) reads as its default, so the rest of the
 * task is still checked without follow-on noise (a bad `loop` still defines `item`).
 */
export function readKeywords(r: Reader, pairs: Map<string, Pair>, isHandler: boolean): TaskKeywords {
  const value = (key: string) => pairs.get(key)?.value;
  const has = (key: string) => pairs.has(key);
  const register = has('register') ? readString(r, value('register'), 'register') : undefined;
  if (register !== undefined && !REGISTER_NAME.test(register)) {
    r.problems.add({ pos: r.src.posOf(value('register')), message: `'register' must be a variable name, not ${JSON.stringify(register)}`, hint: 'use letters, digits and _, not starting with a digit' });
  }
  if (has('any_errors_fatal')) checkAnyErrorsFatal(r, value('any_errors_fatal'));
  const loopKeys = [...pairs.keys()].filter((k) => k === 'loop' || (k.startsWith('with_') && (LOOP_LOOKUPS as readonly string[]).includes(k.slice(5))));
  for (const extra of loopKeys.slice(1)) {
    r.problems.add({ pos: r.src.posOf(pairs.get(extra)!.key), message: `a task loops once: it has both '${loopKeys[0]}' and '${extra}'`, hint: `keep '${loopKeys[0]}'` });
  }
  const loopKey = loopKeys[0] as string | undefined;
  if (has('loop_control') && !loopKey) {
    r.problems.add({ pos: r.src.posOf(pairs.get('loop_control')!.key), message: "'loop_control' without a loop", hint: 'add loop: (or with_items:), or remove loop_control' });
  }
  const loop = loopKey === 'loop' ? (readLoop(r, value('loop')) ?? []) : loopKey ? (toJS(r, value(loopKey)) ?? []) : undefined;
  const task: TaskKeywords = {
    name: has('name') ? readString(r, value('name'), 'name') : undefined,
    when: has('when') ? (readConditions(r, value('when'), 'when') ?? []) : [],
    notify: has('notify') ? (readStringList(r, value('notify'), 'notify') ?? []) : [],
    listen: isHandler && has('listen') ? (readStringList(r, value('listen'), 'listen') ?? []) : [],
    tags: has('tags') ? (readStringList(r, value('tags'), 'tags') ?? []) : [],
    register,
    vars: has('vars') ? (readVars(r, value('vars')) ?? {}) : {},
    loop,
    ...(loopKey?.startsWith('with_') ? { loopWith: loopKey.slice(5) as LoopLookup } : {}),
    ...(loopKey && has('loop_control') ? { loopControl: readLoopControl(r, value('loop_control')) } : {}),
    ...readUntil(r, pairs),
    changedWhen: has('changed_when') ? readConditions(r, value('changed_when'), 'changed_when') : undefined,
    failedWhen: has('failed_when') ? readConditions(r, value('failed_when'), 'failed_when') : undefined,
    ignoreErrors: has('ignore_errors') ? (readBool(r, value('ignore_errors'), 'ignore_errors') ?? false) : false,
    ...(has('ignore_unreachable') ? { ignoreUnreachable: readBool(r, value('ignore_unreachable'), 'ignore_unreachable') } : {}),
    noLog: has('no_log') ? (readBool(r, value('no_log'), 'no_log') ?? false) : false,
    ...(has('diff') ? { diff: readBool(r, value('diff'), 'diff') } : {}),
    ...(has('check_mode') ? { checkMode: readBool(r, value('check_mode'), 'check_mode') } : {}),
    ...(has('run_once') ? { runOnce: readBool(r, value('run_once'), 'run_once') } : {}),
    access: readAccessKeywords(r, pairs),
    environment: has('environment') ? readEnvironment(r, value('environment')) : [],
    timeout: has('timeout') ? readNumber(r, value('timeout'), 'timeout', 1) : undefined,
    ...(has('throttle') ? { throttle: readThrottle(r, value('throttle')) } : {}),
  };
  return task;
}

/**
 * `until` with `retries` and `delay` (Ansible's defaults 3 and 5). `retries` or `delay` without
 * `until` is refused: ansible-core 2.14 ignores them there, later versions retry a failing task.
 */
function readUntil(r: Reader, pairs: Map<string, Pair>): Pick<Task, 'until'> {
  const value = (key: string) => pairs.get(key)?.value;
  if (!pairs.has('until')) {
    for (const key of ['retries', 'delay'].filter((k) => pairs.has(k))) {
      r.problems.add({ pos: r.src.posOf(pairs.get(key)!.key), message: `'${key}' without 'until'`, hint: "Ansible versions differ on what this does: say when to stop, e.g. until: result is succeeded" });
    }
    return {};
  }
  const conditions = readConditions(r, value('until'), 'until') ?? [];
  const retries = pairs.has('retries') ? readNumber(r, value('retries'), 'retries', 0, 10_000) : undefined;
  const delay = pairs.has('delay') ? (readNumber(r, value('delay'), 'delay', 0, 86_400) ?? 5) : 5;
  return { until: { conditions, ...(retries !== undefined ? { retries: Math.floor(retries) } : {}), delay } };
}

/** A loop is a list, or a template that renders to one. */
function readLoop(r: Reader, node: unknown): unknown {
  const value = toJS(r, node);
  if (Array.isArray(value)) return value;
  if (isScalar(node) && typeof value === 'string' && value.includes('{{')) return value;
  r.problems.add({ pos: r.src.posOf(node), message: `'loop' must be a list or a template giving one, not ${describe(node)}`, hint: 'write a YAML list, or "{{ my_list }}"' });
  return undefined;
}

function defaultName(module: string, args: unknown): string {
  const text =
    typeof args === 'string'
      ? args
      : Object.entries(args as Record<string, unknown>)
          .filter(([, v]) => typeof v !== 'object' || v === null)
          .slice(0, 2)
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(' ');
  const short = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return short ? `${module} ${short}` : module;
}
