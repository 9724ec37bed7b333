import { isBlock, type Task, type TaskNode } from '../playbook/types.ts';

/**
 * Ansible's tag selection (playbook/taggable.py `evaluate_tags`, ansible-core 2.14): --tags picks
 * (none given means `all`), --skip-tags drops; a task without tags is `untagged`; `always` runs
 * unless skipped by name (or by `all` with `always`), `never` only when one of its tags is asked for.
 */
export function taskSelected(taskTags: string[], only: string[], skip: string[]): boolean {
  const tags = new Set(taskTags.length > 0 ? taskTags : ['untagged']);
  const untagged = taskTags.length === 0;
  const asked = only.length > 0 ? only : ['all'];
  const any = (list: string[]) => list.some((t) => tags.has(t));
  const picked =
    tags.has('always') ||
    (asked.includes('all') && !tags.has('never')) ||
    any(asked) ||
    (asked.includes('tagged') && !untagged && !tags.has('never'));
  if (!picked) return false;
  if (skip.includes('all')) return tags.has('always') && !skip.includes('always');
  return !any(skip) && !(skip.includes('tagged') && !untagged);
}

/** The tasks `keep` selects, with blocks kept around them (a block left with no task at all goes). */
export function selectTasks(nodes: readonly TaskNode[], keep: (task: Task) => boolean): TaskNode[] {
  return nodes.flatMap((n): TaskNode[] => {
    if (!isBlock(n)) return keep(n) ? [n] : [];
    const parts = { block: selectTasks(n.block, keep), rescue: selectTasks(n.rescue, keep), always: selectTasks(n.always, keep) };
    return parts.block.length + parts.rescue.length + parts.always.length > 0 ? [{ ...n, ...parts }] : [];
  });
}
