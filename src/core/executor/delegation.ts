/**
 * A delegated task at run time, as ansible-core 2.14 runs one (vars/manager.py _get_delegated_vars,
 * executor/task_executor.py _execute, playbook/play_context.py set_task_and_variable_override):
 * `delegate_to` is rendered with the task's variables, a loop's item included; the delegate is found
 * as Ansible finds it (Inventory.delegateHost: a name the inventory lacks is reached at that name);
 * how it is reached and whom the task runs as there come from the delegate's variables (its
 * inventory variables with the play's, the task's, its own facts and -e, not the task's host's) and
 * the task's keywords. Everything the task renders keeps its own host's variables
 * (`inventory_hostname` stays the host's), and its result is the host's. The module plans from the
 * state of the host it runs on: the delegate's facts, probe cache and check-mode overlay, kept by the
 * run for that host (its own plays and every other host's delegations to it share them).
 */
import type { InventoryHost, Inventory } from '../inventory/types.ts';
import type { Play, Task } from '../playbook/types.ts';
import { renderValue } from '../templating.ts';
import { buildHostVars } from '../vars.ts';
import type { HostRun } from './host-run.ts';
import { AccessError, resolveAccess, taskEnvironment, type AccessDefaults, type TaskAccess } from './task-access.ts';

export interface Delegation {
  /** `delegate_to` as rendered. */
  name: string;
  /** The delegate as the inventory has it, or as Ansible makes one it lacks. */
  host: InventoryHost;
  /** What the run knows of the delegate; the task's own host when it delegates to itself. */
  state: HostRun;
  /** How the delegate is reached and whom the task runs as there, with the task's environment. */
  access: TaskAccess;
}

/** What a play's delegations are resolved against. */
export interface DelegationScope {
  inventory: Inventory;
  play: Play;
  extraVars: Record<string, unknown>;
  check: boolean;
  cli: AccessDefaults;
  /** The run's state of a host, made the first time a delegation names a host no play has reached yet. */
  stateOf(host: InventoryHost): HostRun;
}

/** The task's delegation on `host` with `vars` (the item's), or undefined when it has none; throws AccessError. */
export function delegationOf(scope: DelegationScope, task: Task, host: HostRun, vars: Record<string, unknown>): Delegation | undefined {
  if (task.delegateTo === undefined) return undefined;
  const name = delegateName(task.delegateTo, vars);
  const { inventory, play } = scope;
  const delegate = inventory.delegateHost(name);
  const state = name === host.name ? host : scope.stateOf(delegate);
  const delegateVars = buildHostVars({
    task,
    inventory,
    host: delegate,
    play,
    extraVars: scope.extraVars,
    facts: state.factsVisible ? state.facts : undefined,
    registered: state.registered,
    includedVars: state.includedVars,
    checkMode: task.checkMode ?? scope.check,
    playbookDir: play.dir,
  });
  const access = resolveAccess([task.access, play.access], scope.cli, delegateVars, { delegate: name, host: host.name });
  // The environment is the task's, rendered with its own host's variables, as Ansible's action does.
  const environment = taskEnvironment([...play.environment, ...task.environment], vars);
  return { name, host: delegate, state, access: environment ? { ...access, environment } : access };
}

function delegateName(template: string, vars: Record<string, unknown>): string {
  let name: unknown;
  try {
    name = renderValue(template, vars);
  } catch (err) {
    throw new AccessError(`delegate_to: ${(err as Error).message}`);
  }
  if (typeof name !== 'string') throw new AccessError(`delegate_to is ${JSON.stringify(name)}, not a host name (a string)`);
  if (name.trim() === '') throw new AccessError(`delegate_to ${JSON.stringify(template)} names no host: it renders empty`);
  return name;
}
