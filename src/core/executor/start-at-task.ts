/**
 * `--start-at-task`, as ansible-core 2.14's PlayIterator finds the task: the first task, in the
 * order a host meets it without failing (a block's tasks, then its always; never a rescue or a
 * handler), among those the tags select, whose name is the pattern or matches it as fnmatch does
 * (the name as written, or `role : name`; an unnamed task's is its module). Plays before that one
 * are left out entirely; in it, the tasks before the match. As in Ansible, only the first batch of
 * that play starts at the task: later batches (serial) and later plays run from their start.
 */
import { globToRegExp } from '../fnmatch.ts';
import { isBlock, leafTasks, type Play, type Task, type TaskNode } from '../playbook/types.ts';

export interface StartAt {
  /** Index of the play holding the task. */
  play: number;
  /** The tasks of that play its first batch does not run. */
  skipped: Set<Task>;
}

export function findStartAt(plays: readonly Play[], pattern: string, selected: (play: Play, task: Task) => boolean): StartAt | undefined {
  const glob = globToRegExp(pattern);
  const matches = (task: Task): boolean => taskNames(task).some((n) => n === pattern || glob.test(n));
  for (const [index, play] of plays.entries()) {
    const skipped = new Set<Task>();
    if (walk(play.tasks, (t) => selected(play, t) && matches(t), skipped)) return { play: index, skipped };
  }
  return undefined;
}

/** Ansible's task.name and task.get_name(). */
function taskNames(task: Task): string[] {
  const prefix = task.role ? `${task.role.name} : ` : '';
  if (!task.keywordPos?.has('name')) return [`${prefix}${task.module}`];
  return [task.name.slice(prefix.length), task.name];
}

/** True once the match is found; every task passed before it goes into `skipped`. */
function walk(nodes: readonly TaskNode[], matches: (task: Task) => boolean, skipped: Set<Task>): boolean {
  for (const node of nodes) {
    if (!isBlock(node)) {
      if (matches(node)) return true;
      skipped.add(node);
      continue;
    }
    if (walk(node.block, matches, skipped)) return true;
    // Past the block's tasks, a host is in its always: a failure there no longer reaches the rescue.
    for (const t of leafTasks(node.rescue)) skipped.add(t);
    if (walk(node.always, matches, skipped)) return true;
  }
  return false;
}
