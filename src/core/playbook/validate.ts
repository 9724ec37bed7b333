/**
 * Everything that can be checked before connecting to any host, reported all at once: module
 * arguments against their schemas, host patterns, notify targets, and undefined variables.
 */
import { closestName, formatPos, ProblemList, UserError, type Problem } from '../errors.ts';
import type { Inventory, InventoryHost } from '../inventory/types.ts';
import { checkArgsAgainst, checkRawArgs } from './args-schema.ts';
import { handlerNames } from './handler-names.ts';
import { builtinModules, type ModuleLookup } from './keywords.ts';
import { loadPlaybook } from './load.ts';
import { allTasks, type Play, type Playbook, type Task } from './types.ts';
import { staticArgProblems } from './static-args.ts';
import { undefinedVariableProblems } from './undefined-vars.ts';

export interface ValidateOptions {
  extraVars?: Record<string, unknown>;
  modules?: ModuleLookup;
  rolesPath?: string[];
}

/**
 * Problems with a task's arguments once rendered (the executor calls this right before planning),
 * positioned at the argument in the playbook.
 */
export function checkModuleArgs(task: Task, renderedArgs: unknown, modules: ModuleLookup = builtinModules): Problem[] {
  const module = modules.get(task.module);
  if (!module) return [{ pos: task.argsPos, message: `unknown module '${task.module}'`, hint: `known modules: ${modules.names().join(', ')}` }];
  return checkArgsAgainst(module, task, renderedArgs);
}

/** Problems in a loaded playbook against an inventory, in file order; none means it is ready to run. */
export function validatePlaybook(playbook: Playbook, inventory: Inventory, opts: ValidateOptions = {}): Problem[] {
  const modules = opts.modules ?? builtinModules;
  const problems: Problem[] = [];
  const registered = new Set<string>();
  for (const play of playbook.plays) {
    const hosts = selectHosts(play, inventory, problems);
    const scope = { inventory, play, playbookDir: play.dir, extraVars: opts.extraVars ?? {} };
    for (const task of allTasks([...play.tasks, ...play.handlers])) {
      const module = modules.get(task.module);
      if (module) problems.push(...checkRawArgs(module, task), ...staticArgProblems(task, module, hosts, scope));
      if (task.include && task.runOnce) problems.push(includeRunOnce(task));
    }
    problems.push(...notifyProblems(play));
    problems.push(...undefinedVariableProblems(scope, hosts, registered, modules));
  }
  return sortProblems(problems);
}

function selectHosts(play: Play, inventory: Inventory, problems: Problem[]): InventoryHost[] {
  let names: string[];
  try {
    names = inventory.select(play.hosts, play.hostsPos ?? play.pos);
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    problems.push(...err.problems.map((p) => ({ ...p, pos: p.pos ?? play.hostsPos ?? play.pos })));
    return [];
  }
  if (names.length === 0) {
    problems.push({
      pos: play.hostsPos ?? play.pos,
      message: `hosts pattern '${play.hosts}' of play '${play.name}' selects no hosts`,
      hint: 'add hosts to the group in the inventory, or fix the pattern',
    });
  }
  return names.map((n) => inventory.hosts.get(n)!);
}

/**
 * A run_once handed to an include_tasks line by its block: ansible-core 2.14 then includes the file
 * for the one host that ran the line, a case lvsdr does not follow; its tasks take run_once anyway.
 */
function includeRunOnce(task: Task): Problem {
  return {
    pos: task.keywordPos?.get('run_once') ?? task.pos,
    message: `include_tasks '${task.name}' takes run_once from its block, which lvsdr does not support on an include`,
    hint: "put run_once under the line's apply:, or on the tasks of the included file",
  };
}

function notifyProblems(play: Play): Problem[] {
  return notifyProblemsIn(allTasks([...play.tasks, ...play.handlers]), play);
}

/** Names `tasks` notify that no handler of `play` has or listens to (also for a file include_tasks reads while the play runs). */
export function notifyProblemsIn(tasks: readonly Task[], play: Pick<Play, 'handlers' | 'name'>): Problem[] {
  const topics = new Set(play.handlers.flatMap((h) => [...handlerNames(h), ...h.listen]));
  const problems: Problem[] = [];
  for (const task of tasks) {
    for (const name of task.notify) {
      if (topics.has(name)) continue;
      const near = closestName(name, topics);
      problems.push({
        pos: task.keywordPos?.get('notify') ?? task.pos,
        message: `task '${task.name}' notifies '${name}', which no handler of play '${play.name}' is named or listens to`,
        hint: near ? `did you mean '${near}'?` : topics.size ? `handlers: ${[...topics].join(', ')}` : 'add a handler with this name under the play\'s handlers:',
      });
    }
  }
  return problems;
}

/** Problems in file order (then by message), each once. */
export function sortProblems(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems
    .filter((p) => {
      const key = `${p.pos ? formatPos(p.pos) : ''} ${p.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => {
      if (!a.pos || !b.pos) return a.pos ? 1 : b.pos ? -1 : 0;
      return a.pos.file.localeCompare(b.pos.file) || a.pos.line - b.pos.line || a.pos.col - b.pos.col;
    });
}

/**
 * Loads and checks a playbook in one go (what `validate` and `run` do before connecting): returns
 * the playbook, or throws one UserError listing every problem found, in file order.
 */
export function loadValidPlaybook(path: string, inventory: Inventory | undefined, opts: ValidateOptions & { problems?: ProblemList } = {}): Playbook {
  const problems = opts.problems ?? new ProblemList();
  const playbook = loadPlaybook(path, { ...opts, problems });
  if (inventory) problems.addAll(validatePlaybook(playbook, inventory, opts));
  if (!problems.empty) throw new UserError(sortProblems(problems.items));
  return playbook;
}
