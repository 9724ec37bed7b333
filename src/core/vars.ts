/**
 * A host's variables as templates see them. Precedence, lowest first (later layers replace earlier
 * ones key by key, no deep merge), as in Ansible (ansible/vars/manager.py get_vars, 2.14):
 *   1. role defaults: every role the play names, then those of the task's own role and chain
 *   2. inventory group vars (`all` lowest, then parents before children)
 *   3. inventory host vars            (2 and 3 arrive merged in InventoryHost.vars)
 *   4. play `vars`
 *   5. play `vars_files`, in order
 *   6. role vars (entries' `vars`, vars/main): every role the play names, then the task's chain
 *   7. facts (when the play gathers them)
 *   8. block vars, then task vars (Task.vars holds both, merged at load)
 *   8b. variables include_vars loaded
 *   9. registered results (and set_fact's) (and ansible_failed_task / ansible_failed_result in a rescue)
 *  10. role parameters of the task's chain, then the `vars` of the import_role that brought it
 *  11. magic variables (inventory_hostname, groups, hostvars, role_name, role_path, ...)
 *  12. extra vars (`-e`): always win
 * The loop variable (`item`) is added on top by the executor inside loops, as Ansible's TaskExecutor does.
 */
import type { HostFacts } from '../facts/types.ts';
import { ansibleFacts } from './ansible-fact-vars.ts';
import type { Inventory, InventoryHost } from './inventory/types.ts';
import type { Play, Task } from './playbook/types.ts';
import { renderValue } from './templating.ts';

/** Magic variables lvsdr defines for every host before anything is gathered. */
export const MAGIC_VAR_NAMES: readonly string[] = [
  'inventory_hostname',
  'inventory_hostname_short',
  'group_names',
  'groups',
  'hostvars',
  'playbook_dir',
  'ansible_check_mode',
];

export { FACT_VAR_NAMES, isInterfaceFactName } from './ansible-fact-vars.ts';

/** The Ansible-style fact variables (ansible-fact-vars.ts), and lvsdr's own under ansible_facts.lvsdr. */
export function factVars(facts: HostFacts): Record<string, unknown> {
  const named = ansibleFacts(facts);
  return {
    ansible_facts: { ...named, lvsdr: facts },
    ...Object.fromEntries(Object.entries(named).map(([k, v]) => [`ansible_${k}`, v])),
  };
}

interface InventoryViews {
  groups: Record<string, string[]>;
  hostvars: Record<string, Record<string, unknown>>;
  /** Each host's inventory variables and magic variables, unrendered: what hostvars shows before the run adds to it. */
  inventoryVars: Map<string, Record<string, unknown>>;
}

// groups and hostvars are the same for every host and task: build them once per inventory.
const views = new WeakMap<Inventory, InventoryViews>();

function inventoryViews(inventory: Inventory): InventoryViews {
  let v = views.get(inventory);
  if (!v) {
    const groups: Record<string, string[]> = { all: [] };
    for (const name of inventory.groups.keys()) groups[name] = [];
    // InventoryHost.groups already holds every ancestor and `all` (none for the implicit
    // localhost, which no group has), and hosts come in inventory order.
    for (const host of inventory.hosts.values()) {
      for (const g of host.groups) (groups[g] ??= []).push(host.name);
    }
    const inventoryVars = new Map([...inventory.hosts.values()].map((host) => [host.name, { ...host.vars, ...hostMagic(host) }]));
    const hostvars = Object.fromEntries([...inventoryVars].map(([name, vars]) => [name, renderedOnRead(vars)]));
    v = { groups, hostvars, inventoryVars };
    views.set(inventory, v);
  }
  return v;
}

/** What the run has set on a host so far, which hostvars shows above its inventory variables. */
export interface HostSetVars {
  /** Registered results and set_fact's. */
  registered: Record<string, unknown>;
  /** What include_vars loaded. */
  includedVars: Record<string, unknown>;
}

/**
 * hostvars with what the run set on each host (set_fact, with delegate_facts on a delegate too,
 * register, include_vars) above its inventory variables, as Ansible's hostvars holds them.
 */
function runHostvars(views: InventoryViews, setVars: (host: string) => HostSetVars | undefined): Record<string, Record<string, unknown>> {
  return new Proxy(views.hostvars, {
    get: (target, key) => {
      const set = typeof key === 'string' ? setVars(key) : undefined;
      const inventory = typeof key === 'string' ? views.inventoryVars.get(key) : undefined;
      if (!set || !inventory) return Reflect.get(target, key);
      return renderedOnRead({ ...inventory, ...set.includedVars, ...set.registered });
    },
  });
}

/**
 * Another host's variables as Ansible's hostvars shows them: a value that is a template
 * (`lvs_real_ip: "{{ ansible_host }}"`) is rendered with that host's own variables when read.
 */
function renderedOnRead(vars: Record<string, unknown>): Record<string, unknown> {
  return new Proxy(vars, {
    get: (target, key) => (typeof key === 'string' && Object.hasOwn(target, key) ? renderValue(target[key], target) : Reflect.get(target, key)),
  });
}

function hostMagic(host: InventoryHost): Record<string, unknown> {
  return {
    inventory_hostname: host.name,
    inventory_hostname_short: host.name.split('.')[0],
    group_names: host.groups.filter((g) => g !== 'all' && g !== 'ungrouped').sort(),
  };
}

export interface HostVarsInput {
  inventory: Inventory;
  host: InventoryHost;
  play: Play;
  extraVars: Record<string, unknown>;
  /** Absent when the play does not gather facts. */
  facts?: HostFacts;
  registered: Record<string, unknown>;
  /** What include_vars loaded on the host so far. */
  includedVars?: Record<string, unknown>;
  checkMode: boolean;
  playbookDir: string;
  /** The task the variables are for (none outside a task): its and its blocks' `vars`, its role and import_role add layers. */
  task?: Pick<Task, 'vars' | 'role' | 'includeParams'>;
  /** What the run has set on each host so far, for hostvars; left out before the run (static checks). */
  setVars?: (host: string) => HostSetVars | undefined;
}

export function buildHostVars(input: HostVarsInput): Record<string, unknown> {
  const views = inventoryViews(input.inventory);
  const { groups } = views;
  const hostvars = input.setVars ? runHostvars(views, input.setVars) : views.hostvars;
  const role = input.task?.role;
  return {
    ...input.play.roleDefaults,
    ...role?.defaults,
    ...input.host.vars,
    ...input.play.vars,
    ...Object.assign({}, ...input.play.varsFiles.map((f) => f.vars)),
    ...input.play.roleVars,
    ...role?.vars,
    ...(input.facts ? factVars(input.facts) : {}),
    ...input.task?.vars,
    ...input.includedVars,
    ...input.registered,
    ...role?.params,
    ...input.task?.includeParams,
    ...hostMagic(input.host),
    ...(role ? { role_name: role.name, role_path: role.path, ansible_role_name: role.name } : {}),
    groups,
    hostvars,
    playbook_dir: input.playbookDir,
    ansible_check_mode: input.checkMode,
    ...input.extraVars,
  };
}
