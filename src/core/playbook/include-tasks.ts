/**
 * An `include_tasks` line, with ansible-core 2.14's meaning (playbook/task_include.py,
 * playbook/included_file.py, plugins/strategy/__init__.py): a task of its own that a host reaches,
 * evaluates (`when`, per loop item) and answers with the file's tasks. A file named without
 * templates is read and checked here, with the playbook, so a missing file or a wrong keyword in it
 * is refused before any host is contacted (Ansible finds both only when a host reaches the line); a
 * templated name is rendered, and its file read and checked, when a host reaches the line.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { isMap, isScalar, type Pair, type YAMLMap } from 'yaml';
import { ONCE_PER_BATCH, type MetaAction } from '../../modules/meta.ts';
import { closestName, ProblemList, UserError, type Problem, type SourcePos } from '../errors.ts';
import { isTemplate } from '../templating.ts';
import { loadYamlFile } from '../yaml-source.ts';
import { BLOCK_KEYWORDS, type ModuleLookup } from './keywords.ts';
import { inheritKeywords, readInherited, type Inherited } from './load-block.ts';
import { readKeywords } from './load-task.ts';
import type { TaskListScope } from './roles.ts';
import { allTasks, LOOP_LOOKUPS, type Task, type TaskNode } from './types.ts';
import { FreeFormError, parseFreeForm, type FreeFormArgs } from './free-form.ts';
import { describe, keyName, toJS, type Reader } from './yaml-read.ts';

/** Keywords include_tasks takes with lvsdr (Ansible's VALID_INCLUDE_KEYWORDS less those refused below). */
export const INCLUDE_KEYWORDS = ['name', 'when', 'tags', 'vars', 'loop', ...LOOP_LOOKUPS.map((l) => `with_${l}`), 'loop_control', 'register', 'args'];

/**
 * Ansible takes these on the line and applies them to the include alone, not to the tasks it
 * includes (a dynamic include hands its keywords to nothing): ignore_errors does not even cover a
 * missing file, no_log hides the item but not the tasks' output. Refused, so nobody expects more.
 */
const LINE_ONLY = ['ignore_errors', 'no_log', 'run_once', 'timeout', 'debugger', 'collections'];

/** What apply may hold: what a block hands its tasks. */
const APPLY_KEYWORDS = BLOCK_KEYWORDS.filter((k) => !['block', 'rescue', 'always'].includes(k));

/** How the loader reads a task list (load-tasks.ts loadTaskList, bound to the play's modules). */
export type LoadList = (r: Reader, node: unknown, key: string, importing: string[], scope: TaskListScope) => TaskNode[];

/** An include_tasks line as a task whose `include` says what it reads; undefined (with problems) when it cannot run. */
export function readIncludeTasks(r: Reader, map: YAMLMap, includePair: Pair, modules: ModuleLookup, importing: string[], scope: TaskListScope, loadList: LoadList): Task | undefined {
  const before = r.problems.items.length;
  const pairs = new Map<string, Pair>();
  for (const pair of map.items) {
    if (pair === includePair) continue;
    const key = keyName(pair);
    pairs.set(key, pair);
    if (INCLUDE_KEYWORDS.includes(key)) continue;
    const pos = r.src.posOf(pair.key);
    if (LINE_ONLY.includes(key)) {
      r.problems.add({ pos, message: `'${key}' on include_tasks is not supported: in Ansible 2.14 it applies to the include line alone, not to the tasks it includes`, hint: `to set it on the included tasks, write it under include_tasks' apply:` });
    } else {
      const near = closestName(key, INCLUDE_KEYWORDS);
      r.problems.add({ pos, message: `'${key}' cannot be used on include_tasks`, hint: near ? `did you mean '${near}'?` : `allowed here: ${INCLUDE_KEYWORDS.join(', ')}; keywords for the included tasks go under apply:` });
    }
  }
  const keywords = readKeywords(r, pairs, false);
  const args = includeArgs(r, includePair, pairs.get('args'));
  if (!args) return undefined;
  const fileArg = args.get('file');
  const file = typeof fileArg?.value === 'string' ? fileArg.value.trim() : undefined;
  const filePos = r.src.posOf(fileArg?.node ?? includePair.key);
  if (!file) {
    r.problems.add({ pos: filePos, message: `include_tasks needs a task file name, not ${describe(fileArg?.node)}`, hint: 'write include_tasks: FILE.yml, or file: FILE.yml under it' });
    return undefined;
  }
  const applyNode = args.get('apply')?.node;
  const apply = readApply(r, applyNode);
  const include: Task['include'] = { file, filePos, vars: keywords.vars, inherited: [], ...(apply ? { apply } : {}) };
  const key = keyName(includePair);
  const task: Task = {
    ...keywords,
    name: keywords.name ?? key,
    module: 'include_tasks',
    // As Ansible registers them: the file name and the other arguments (include_args).
    args: { file, ...(apply ? { apply: toJS(r, applyNode) } : {}) },
    pos: r.src.posOf(map),
    argsPos: filePos,
    argPositions: new Map([['/file', filePos]]),
    keywordPos: new Map([...pairs].map(([k, p]) => [k, r.src.posOf(p.value ?? p.key)])),
    include,
  };
  const dirs = searchDirs(r.src.file, scope);
  if (isTemplate(file)) {
    include.read = (rendered) => readAtRunTime(rendered, dirs, r.src.file, filePos, importing, scope, loadList);
  } else {
    const path = findFile(file, dirs);
    if (!path) {
      r.problems.add({ pos: filePos, message: `include_tasks: file '${file}' not found`, hint: `looked in ${dirs.join(', ')}; ansible-playbook fails the host when it reaches the line, lvsdr reads a file named without templates before the run` });
      return undefined;
    }
    const tasks = readFile(r.problems, r.src.file, path, filePos, importing, scope, loadList);
    if (!tasks) return undefined;
    include.tasks = includedTasks(tasks, include);
    include.path = path;
    if (keywords.loop !== undefined) for (const p of onceInLoop(include.tasks, modules)) r.problems.add(p);
  }
  return r.problems.items.length === before ? task : undefined;
}

/**
 * The line's arguments by name, each with its value and the node it is written in: `args:` first,
 * then what the include_tasks key holds on top (Ansible's ModuleArgsParser). A string there is read
 * as parse_kv reads it: `key=value` words are arguments (so a name holding `=`, even inside a
 * template, is refused as Ansible refuses it), the rest the file name.
 */
function includeArgs(r: Reader, includePair: Pair, argsPair: Pair | undefined): Map<string, { value: unknown; node: unknown }> | undefined {
  const args = new Map<string, { value: unknown; node: unknown }>();
  const bad = (pos: SourcePos, name: string) =>
    r.problems.add({ pos, message: `include_tasks has no argument '${name}'`, hint: "include_tasks takes file and apply; the line's keywords (when, vars, loop...) stand beside it; a file name holding '=' is read as key=value words, as Ansible reads it: compute the name in a variable" });
  for (const [where, node] of [['args', argsPair?.value], ['include_tasks', includePair.value]] as const) {
    if (node === undefined) continue;
    if (isScalar(node) && typeof node.value === 'string' && where === 'include_tasks') {
      let parsed: FreeFormArgs;
      try {
        parsed = parseFreeForm(node.value, false);
      } catch (err) {
        if (!(err instanceof FreeFormError)) throw err;
        r.problems.add({ pos: r.src.posOf(node), message: `include_tasks' arguments: ${err.message}` });
        return undefined;
      }
      for (const name of Object.keys(parsed.options)) if (name !== 'file') bad(r.src.posOf(node), name);
      const file = parsed.raw ?? parsed.options.file;
      if (file !== undefined) args.set('file', { value: file, node });
      continue;
    }
    if (!isMap(node)) {
      r.problems.add({ pos: r.src.posOf(node), message: `${where === 'args' ? "'args'" : "include_tasks' arguments"} must be a mapping, not ${describe(node)}`, hint: 'write include_tasks: FILE.yml, or file: and apply: under it' });
      return undefined;
    }
    for (const pair of node.items) {
      const name = keyName(pair);
      if (name === 'file' || name === 'apply') args.set(name, { value: isScalar(pair.value) ? pair.value.value : undefined, node: pair.value });
      else bad(r.src.posOf(pair.key), name);
    }
  }
  return args;
}

function readApply(r: Reader, node: unknown): Inherited | undefined {
  if (node === undefined || node === null || (isScalar(node) && node.value === null)) return undefined;
  if (!isMap(node)) {
    r.problems.add({ pos: r.src.posOf(node), message: `include_tasks' apply must be a mapping of keywords, not ${describe(node)}` });
    return undefined;
  }
  const pairs = new Map<string, Pair>();
  for (const pair of node.items) {
    const key = keyName(pair);
    if ((APPLY_KEYWORDS as readonly string[]).includes(key)) pairs.set(key, pair);
    else {
      const near = closestName(key, APPLY_KEYWORDS);
      r.problems.add({ pos: r.src.posOf(pair.key), message: `'${key}' cannot be used in include_tasks' apply`, hint: near ? `did you mean '${near}'?` : `apply takes what a block hands its tasks: ${APPLY_KEYWORDS.join(', ')}` });
    }
  }
  return readInherited(r, pairs);
}

/**
 * Where a relative file name is looked for, first found: the including file's directory (Ansible's
 * parent include), in a role its tasks/ and its directory, then the playbook's directory.
 */
function searchDirs(including: string, scope: TaskListScope): string[] {
  const role = scope.chain.at(-1);
  const dirs = [dirname(including), ...(role ? [join(role.dir, 'tasks'), role.dir] : []), scope.roles.playbookDir];
  return [...new Set(dirs)];
}

function findFile(file: string, dirs: string[]): string | undefined {
  const paths = isAbsolute(file) ? [file] : dirs.map((d) => join(d, file));
  return paths.find((p) => existsSync(p) && statSync(p).isFile());
}

/** The file's task list, or undefined with the problems recorded (an include cycle among them). */
function readFile(problems: ProblemList, including: string, path: string, at: SourcePos, importing: string[], scope: TaskListScope, loadList: LoadList): TaskNode[] | undefined {
  const chain = [...importing, including];
  if (chain.some((f) => resolve(f) === resolve(path))) {
    problems.add({ pos: at, message: `include cycle: ${[...chain, path].join(' → ')}`, hint: 'lvsdr reads a file named without templates before the run, so it cannot include itself: break the cycle' });
    return undefined;
  }
  try {
    const src = loadYamlFile(path, at);
    return loadList({ src, problems }, src.doc.contents, path, chain, scope);
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    problems.addAll(err.problems);
    return undefined;
  }
}

/** The file's tasks as the line hands them over: with `apply`, and the line's `vars` as their include params. */
function includedTasks(tasks: TaskNode[], include: NonNullable<Task['include']>): TaskNode[] {
  if (include.apply) inheritKeywords(tasks, include.apply);
  for (const t of allTasks(tasks)) t.includeParams = { ...include.vars, ...t.includeParams };
  return tasks;
}

/** A templated name's file, read when a host reaches the line: its tasks, or the problems that keep it from running. */
function readAtRunTime(file: string, dirs: string[], including: string, at: SourcePos, importing: string[], scope: TaskListScope, loadList: LoadList): { tasks: TaskNode[]; path: string } | { problems: Problem[] } {
  const path = findFile(file, dirs);
  if (!path) return { problems: [{ pos: at, message: `include_tasks: could not find or access '${file}'`, hint: `looked in ${dirs.join(', ')}` }] };
  const problems = new ProblemList();
  const tasks = readFile(problems, including, path, at, importing, { ...scope, atRunTime: true }, loadList);
  return problems.empty && tasks ? { tasks, path } : { problems: problems.items };
}

/**
 * A templated name's tasks, read for `line` when a host reached it, as the line hands them over:
 * with `apply`, the keywords of what is around the line, its role, and its include params.
 */
export function readAtRunTimeFor(line: Task, tasks: TaskNode[]): TaskNode[] {
  const include = line.include!;
  if (include.apply) inheritKeywords(tasks, include.apply);
  for (const from of include.inherited) inheritKeywords(tasks, from);
  for (const t of allTasks(tasks)) {
    t.includeParams = { ...line.includeParams, ...include.vars, ...t.includeParams };
    if (line.role && !t.role) Object.assign(t, { role: line.role, name: `${line.role.name} : ${t.name}` });
  }
  return tasks;
}

/**
 * Tasks that run once for the batch (run_once, a module bypassing the host loop, a batch-wide meta)
 * under a looping include: Ansible runs them once per item, lvsdr's once-per-batch bookkeeping holds
 * one run per task, so they are refused there.
 */
export function onceInLoop(tasks: readonly TaskNode[], modules: ModuleLookup): Problem[] {
  return allTasks(tasks)
    .filter((t) => t.runOnce === true || modules.get(t.module)?.bypassHostLoop === true || (t.module === 'meta' && ONCE_PER_BATCH.includes((t.args as { free_form: MetaAction }).free_form)))
    .map((t) => ({ pos: t.pos, message: `task '${t.name}' runs once for the batch, which lvsdr does not support in a file a looping include_tasks includes`, hint: 'move it out of the included file, or include the file without a loop' }));
}
