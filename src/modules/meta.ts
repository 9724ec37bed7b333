/**
 * meta (ansible.builtin.meta): an instruction to the executor, not to the host — Ansible's strategy
 * runs it itself (plugins/strategy/__init__.py _execute_meta), and so does lvsdr's
 * (core/executor/run-meta.ts). This definition only names the actions lvsdr takes, for the
 * argument checks; the playbook loader (playbook/meta-task.ts) refuses the keywords a meta task
 * cannot honour.
 */
import type { ModuleDef, Plan } from './types.ts';

export const META_ACTIONS = ['noop', 'flush_handlers', 'end_play', 'end_batch', 'end_host', 'clear_facts', 'clear_host_errors'] as const;
export type MetaAction = (typeof META_ACTIONS)[number];

/** The actions that act for every host of the batch: run once per batch (executor/run-meta.ts). */
export const ONCE_PER_BATCH: readonly MetaAction[] = ['end_play', 'end_batch', 'clear_facts', 'clear_host_errors'];

/** Ansible's other meta actions, and why lvsdr refuses them. */
export const REFUSED_META_ACTIONS: Record<string, string> = {
  refresh_inventory: 'lvsdr reads the inventory once, before the run, and checks every play against it',
  reset_connection: 'lvsdr keeps one connection per host and way of reaching it for the play; there is nothing to reset',
  role_complete: 'it is an internal action of Ansible\'s, not one for playbooks',
  end_role: 'it is not in ansible-core 2.14',
};

export const metaModule: ModuleDef<{ free_form: MetaAction }> = {
  name: 'meta',
  summary: 'an instruction to the executor: flush_handlers, end_play, end_batch, end_host, clear_facts, clear_host_errors, noop',
  schema: {
    type: 'object',
    properties: { free_form: { enum: [...META_ACTIONS] } },
    required: ['free_form'],
    additionalProperties: false,
  },
  freeForm: (text) => ({ free_form: text }),
  plan(args): Plan {
    return { kind: 'fail', message: `internal: meta ${args.free_form} reached a module's plan; the executor runs it` };
  },
};
