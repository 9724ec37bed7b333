/**
 * An include_tasks line on one host, as ansible-core 2.14 runs it (executor/task_executor.py for the
 * line, playbook/included_file.py and plugins/strategy/__init__.py for what follows): for each loop
 * item the line's own `when` and file name are evaluated first, all of them before any included
 * task runs; each file is then read (a templated name's now, kept per path), and once all are read
 * the host runs each item's tasks in order, with the item and the line's `vars` as include params.
 * The recap counts the line as Ansible's strategy does: skipped when every item was, and ok once
 * per file included (not per line); a file that cannot be read fails the host as a failure, even
 * under a rescue (which still runs, without ansible_failed_task).
 */
import { formatProblem } from '../errors.ts';
import { builtinModules } from '../playbook/keywords.ts';
import { onceInLoop, readAtRunTimeFor } from '../playbook/include-tasks.ts';
import { allTasks, type Task, type TaskNode } from '../playbook/types.ts';
import { notifyProblemsIn } from '../playbook/validate.ts';
import { evalCondition, renderValue } from '../templating.ts';
import type { HostRun } from './host-run.ts';
import { loopItemVars } from './loop-items.ts';
import { runTaskNodes } from './run-block.ts';
import { selectTasks } from './tags.ts';
import { expandLoop, type TaskEnv } from './run-task.ts';
import { loopResult, registerValue, reportResult, settleTask, type Attempt } from './task-outcome.ts';

/** One loop item (or the line without a loop) that is to be included. */
interface Included {
  loopVars?: Record<string, unknown>;
  /** The file name rendered, as `register` records it. */
  file: string;
  path?: string;
  tasks?: TaskNode[];
}

/** A templated name's tasks for each line, by the file name rendered: read once a play, whichever host asks. */
const readAtRunTime = new WeakMap<Task, Map<string, ReturnType<NonNullable<NonNullable<Task['include']>['read']>>>>();

export async function runInclude(task: Task, host: HostRun, env: TaskEnv, signal?: AbortSignal): Promise<void> {
  env.events.emit({ type: 'task:start', host: host.name, task: task.name });
  const started = Date.now();
  const loops = task.loop !== undefined;
  let items: (Record<string, unknown> | undefined)[] = [undefined];
  if (loops) {
    const expanded = expandLoop(task, host, env);
    if (!Array.isArray(expanded)) {
      reportResult(task, host, env, expanded.attempt, started);
      settleTask(task, host, expanded.attempt.status, expanded.registered);
      return;
    }
    items = expanded.map((_, index) => loopItemVars(task.loopControl, expanded, index));
  }
  const included: Included[] = [];
  const results: { attempt: Attempt; registered: Record<string, unknown> }[] = [];
  for (const loopVars of items) {
    const item = loopVars && loopVars[task.loopControl?.loopVar ?? 'item'];
    const outcome = evaluateItem(task, host, env, loopVars);
    if ('attempt' in outcome) {
      reportResult(task, host, env, outcome.attempt, started, item);
      results.push({ attempt: outcome.attempt, registered: registerValue(outcome.attempt, loopVars) });
      continue;
    }
    included.push(outcome);
    const { file: _, ...args } = task.args as Record<string, unknown>;
    results.push({ attempt: { status: 'ok', changes: [] }, registered: { changed: false, include: outcome.file, include_args: args, ...(loopVars ?? {}) } });
  }
  const settled = loops ? loopResult(results) : { status: results[0].attempt.status, registered: results[0].registered };
  if (settled.status !== 'ok') {
    // Skipped (every item was) or failed (a condition or a name that would not render): the line's own result.
    settleTask(task, host, settled.status, settled.registered);
    return;
  }
  if (task.register) host.registered[task.register] = settled.registered;
  const looping = loops || host.includeFrames.some((f) => f.loops);
  for (const inc of included) {
    const problems = readTasks(task, inc, looping, env.play);
    if (problems) {
      failToRead(task, host, env, problems, started, inc);
      return;
    }
  }
  for (const inc of included) {
    host.stats.ok++;
    env.events.emit({
      type: 'task:result',
      result: { host: host.name, task: task.name, module: task.module, pos: task.pos, status: 'ok', changes: [], check: env.check, durationMs: Date.now() - started, included: inc.path!, ...(inc.loopVars ? { item: task.noLog ? '(censored)' : inc.loopVars[task.loopControl?.loopVar ?? 'item'] } : {}) },
    });
  }
  for (const inc of included) {
    if (!host.active || signal?.aborted || env.ends.ended(host)) return;
    host.includeFrames.push({ vars: inc.loopVars ?? {}, loops });
    try {
      // As Ansible's strategy filters an included file's blocks by --tags and --skip-tags.
      await runTaskNodes(selectTasks(inc.tasks!, (t) => env.selects(t)), host, env, signal);
    } finally {
      host.includeFrames.pop();
    }
  }
}

/** The line's `when` and file name for one item: what to include, or the attempt that ends the item. */
function evaluateItem(task: Task, host: HostRun, env: TaskEnv, loopVars: Record<string, unknown> | undefined): Included | { attempt: Attempt } {
  const vars = env.varsFor(host, task, loopVars);
  try {
    const falseOne = task.when.find((c) => !evalCondition(c, vars));
    if (falseOne !== undefined) return { attempt: { status: 'skipped', reason: `condition is false: ${falseOne}`, changes: [] } };
    const file = renderValue(task.include!.file, vars);
    if (typeof file !== 'string' || file.trim() === '') throw new Error(`the file name ${JSON.stringify(task.include!.file)} renders to ${JSON.stringify(file)}, not a file name`);
    return { file: file.trim(), ...(loopVars ? { loopVars } : {}) };
  } catch (err) {
    const at = task.include!.filePos;
    return { attempt: { status: 'failed', msg: `${at.file}:${at.line}:${at.col}: ${(err as Error).message}`, changes: [] } };
  }
}

/** Fills `inc` with its tasks and path; the problems that keep a templated name's file from running, if any. */
function readTasks(task: Task, inc: Included, looping: boolean, play: TaskEnv['play']): string | undefined {
  const include = task.include!;
  if (include.tasks) {
    Object.assign(inc, { tasks: include.tasks, path: include.path });
    return undefined;
  }
  let byFile = readAtRunTime.get(task);
  if (!byFile) readAtRunTime.set(task, (byFile = new Map()));
  let read = byFile.get(inc.file);
  if (!read) {
    read = include.read!(inc.file);
    if ('tasks' in read) {
      const tasks = readAtRunTimeFor(task, read.tasks);
      const problems = notifyProblemsIn(allTasks(tasks), play);
      read = problems.length > 0 ? { problems } : { ...read, tasks };
    }
    byFile.set(inc.file, read);
  }
  if ('problems' in read) return read.problems.map(formatProblem).join('\n');
  const once = looping ? onceInLoop(read.tasks, builtinModules) : [];
  if (once.length > 0) return once.map(formatProblem).join('\n');
  Object.assign(inc, { tasks: read.tasks, path: read.path });
  return undefined;
}

/**
 * As Ansible's strategy when an included file cannot be loaded: the host fails with a failure that
 * counts as such even in a block with a rescue (which runs, without ansible_failed_task or _result).
 */
function failToRead(task: Task, host: HostRun, env: TaskEnv, msg: string, started: number, inc: Included): void {
  const attempt: Attempt = { status: 'failed', msg, changes: [] };
  const rescuing = host.rescuing;
  host.rescuing = 0;
  reportResult(task, host, env, attempt, started, inc.loopVars?.[task.loopControl?.loopVar ?? 'item']);
  host.rescuing = rescuing;
  host.failed = true;
  host.stats.failed++;
}
