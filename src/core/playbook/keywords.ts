/** The keywords a play and a task may have, and how module names are looked up. */
import type { ModuleDef } from '../../modules/types.ts';
import { getModule, moduleNames } from '../../modules/registry.ts';
import { ACCESS_KEYWORDS } from './access-keywords.ts';

export const PLAY_KEYWORDS = [
  'name',
  'hosts',
  'vars',
  'vars_files',
  ...ACCESS_KEYWORDS,
  'gather_facts',
  'gather_subset',
  'serial',
  'max_fail_percentage',
  'tags',
  'pre_tasks',
  'roles',
  'tasks',
  'post_tasks',
  'handlers',
] as const;

export const TASK_KEYWORDS = [
  'name',
  'when',
  'notify',
  'tags',
  'register',
  'loop',
  'with_items',
  'changed_when',
  'failed_when',
  'ignore_errors',
  'no_log',
  ...ACCESS_KEYWORDS,
  'timeout',
  'args',
] as const;

/** Handlers are tasks that may also answer to topics. */
export const HANDLER_KEYWORDS = [...TASK_KEYWORDS, 'listen'] as const;

/** Statements that stand in a task list in place of a task. */
export const IMPORT_KEYS = ['import_tasks', 'include_tasks'];

/** Statements that stand in a task list for a role's tasks. */
export const ROLE_KEYS = ['import_role', 'include_role'];

/** Keywords an `import_tasks` line may carry; they apply to every imported task. */
export const IMPORT_KEYWORDS = ['name', 'when', 'tags', ...ACCESS_KEYWORDS];

/** Ansible spellings lvsdr accepts and what they mean here, for "not supported" hints. */
export const UNSUPPORTED: Record<string, string> = {
  block: 'blocks are not supported: list the tasks directly, with `when` on each',
  vars: "task-level vars are not supported: set them in the play's `vars`",
  with_dict: 'with_dict is not supported: loop over "{{ d | dict2items }}" instead',
  loop_control: 'loop_control is not supported: the loop variable is always `item`',
};

/** Where module definitions come from; tests inject their own. */
export interface ModuleLookup {
  get(name: string): ModuleDef | undefined;
  names(): string[];
}

export const builtinModules: ModuleLookup = { get: getModule, names: moduleNames };

/** `ansible.builtin.copy` and `ansible.legacy.copy` are Ansible's fully qualified names for `copy`. */
export function shortModuleName(key: string): string {
  const m = /^ansible\.(?:builtin|legacy)\.(.+)$/.exec(key);
  return m ? m[1] : key;
}
