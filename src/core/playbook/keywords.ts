/** The keywords a play and a task may have, and how module names are looked up. */
import type { ModuleDef } from '../../modules/types.ts';
import { getModule, moduleNames } from '../../modules/registry.ts';
import { ACCESS_KEYWORDS } from './access-keywords.ts';
import { LOOP_LOOKUPS } from './types.ts';

export const PLAY_KEYWORDS = [
  'name',
  'hosts',
  'vars',
  'vars_files',
  ...ACCESS_KEYWORDS,
  'environment',
  'gather_facts',
  'gather_subset',
  'serial',
  'any_errors_fatal',
  'ignore_unreachable',
  'strategy',
  'throttle',
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
  'vars',
  'loop',
  ...LOOP_LOOKUPS.map((l) => `with_${l}`),
  'loop_control',
  'until',
  'retries',
  'delay',
  'changed_when',
  'failed_when',
  'ignore_errors',
  'ignore_unreachable',
  'any_errors_fatal',
  'no_log',
  'diff',
  'check_mode',
  'run_once',
  'throttle',
  ...ACCESS_KEYWORDS,
  'environment',
  'delegate_to',
  'delegate_facts',
  'timeout',
  'args',
] as const;

/**
 * What a `block` may carry besides block/rescue/always: what Ansible's tasks inherit from their
 * block and lvsdr takes on a task (`when` and `tags` add to the task's own; the rest apply where the
 * task does not set them).
 */
export const BLOCK_KEYWORDS = ['block', 'rescue', 'always', 'name', 'when', 'tags', 'vars', 'notify', 'ignore_errors', 'ignore_unreachable', 'any_errors_fatal', 'no_log', 'diff', 'check_mode', 'run_once', 'throttle', 'timeout', 'environment', 'delegate_to', 'delegate_facts', ...ACCESS_KEYWORDS] as const;

/** Handlers are tasks that may also answer to topics. */
export const HANDLER_KEYWORDS = [...TASK_KEYWORDS, 'listen'] as const;

/** Statements that stand in a task list in place of a task. */
export const IMPORT_KEYS = ['import_tasks', 'include_tasks'];

/** Statements that stand in a task list for a role's tasks. */
export const ROLE_KEYS = ['import_role', 'include_role'];

/** Keywords an `import_tasks` line may carry; they apply to every imported task. */
export const IMPORT_KEYWORDS = ['name', 'when', 'tags', 'environment', ...ACCESS_KEYWORDS];

/** Ansible spellings lvsdr accepts and what they mean here, for "not supported" hints. */
export const UNSUPPORTED: Record<string, string> = {
  with_nested: 'with_nested is not supported: loop over "{{ a | product(b) | list }}"',
  with_indexed_items: 'with_indexed_items is not supported: use loop with loop_control: { index_var: i }',
  with_first_found: 'with_first_found is not supported: name the file',
  with_lines: 'with_lines is not supported: register a command and loop over its stdout_lines',
  with_file: 'with_file is not supported: put the contents in a variable, or use copy with src',
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
