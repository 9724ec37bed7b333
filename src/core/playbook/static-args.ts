/**
 * Arguments rendered before the run, host by host, wherever their templates only read variables
 * known up front (inventory, play vars, vars_files, extra vars, magic vars): so a hostile or
 * mistyped value (`vip: "1.2.3.4; touch /tmp/pwned"`) is refused by the module's schema at
 * validation, naming the hosts it came from. Templates that read facts, registered results or
 * `item` stay unrendered here and are checked when the task runs.
 */
import type { ModuleDef } from '../../modules/types.ts';
import type { Problem } from '../errors.ts';
import type { Inventory, InventoryHost } from '../inventory/types.ts';
import { isTemplate, OMIT, renderValue, templateRefs } from '../templating.ts';
import { buildHostVars } from '../vars.ts';
import { checkRawArgs, withAnsibleStrings } from './args-schema.ts';
import type { Play, Task } from './types.ts';

export interface StaticScope {
  inventory: Inventory;
  play: Play;
  playbookDir: string;
  extraVars: Record<string, unknown>;
}

/** Each template string rendered where it can be; a template that cannot be rendered yet stays as written. */
function renderWhatCan(value: unknown, vars: Record<string, unknown>): unknown {
  if (isTemplate(value)) {
    try {
      return renderValue(value, vars);
    } catch {
      return value;
    }
  }
  if (Array.isArray(value)) return value.map((v) => renderWhatCan(v, vars));
  if (value !== null && typeof value === 'object') {
    // An argument rendering to `omit` is left out, as in the run (renderValue).
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderWhatCan(v, vars)]).filter(([, v]) => v !== OMIT));
  }
  return value;
}

function hasTemplate(value: unknown): boolean {
  if (isTemplate(value)) return true;
  return value !== null && typeof value === 'object' && Object.values(value).some(hasTemplate);
}

/** Variables whose values are too big to compare host by host: such hosts are rendered one by one. */
const WHOLE_INVENTORY = new Set(['hostvars', 'groups']);

/**
 * The values of every variable the arguments' rendering can read: the names they read, and where
 * such a value is itself a template (`lvsdr_rs_state: "{{ ... }}"` in vars_files), the names that
 * one reads, on down. Two hosts with the same key render the arguments alike. Undefined when the
 * host must be rendered on its own: it reads a WHOLE_INVENTORY variable, or a template that does
 * not parse.
 */
function valuesKey(reads: readonly string[], vars: Record<string, unknown>): string | undefined {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    if (!hasTemplate(vars[name])) return;
    const refs = templateRefs(vars[name]);
    for (const r of [...refs.required, ...refs.guarded]) visit(r);
  };
  try {
    reads.forEach(visit);
  } catch {
    return undefined;
  }
  const names = [...seen].sort();
  if (names.some((r) => WHOLE_INVENTORY.has(r))) return undefined;
  return JSON.stringify(names.map((r) => [r, Object.hasOwn(vars, r) ? vars[r] : null]));
}

/** Schema problems of a task's arguments as rendered for each host; one problem per distinct message. */
export function staticArgProblems(task: Task, module: ModuleDef, hosts: InventoryHost[], scope: StaticScope): Problem[] {
  if (!hasTemplate(task.args)) return [];
  const keyOf = (p: Problem) => `${p.pos?.line}:${p.pos?.col}:${p.message}`;
  const raw = new Set(checkRawArgs(module, task).map(keyOf));
  let reads: string[];
  try {
    const refs = templateRefs(task.args);
    reads = [...refs.required, ...refs.guarded];
  } catch {
    return []; // a template syntax error is reported on its own
  }
  // Most hosts read the same values (the VIP, the port): render and check once per distinct set.
  const problemsByValues = new Map<string, Problem[]>();
  const byMessage = new Map<string, { problem: Problem; hosts: string[] }>();
  for (const host of hosts) {
    const vars = buildHostVars({ ...scope, host, task, registered: {}, checkMode: false });
    const values = valuesKey(reads, vars) ?? `host:${host.name}`;
    let problems = problemsByValues.get(values);
    if (!problems) {
      problems = checkRawArgs(module, { ...task, args: withAnsibleStrings(module, renderWhatCan(task.args, vars)) }).filter((p) => !raw.has(keyOf(p)));
      problemsByValues.set(values, problems);
    }
    for (const problem of problems) {
      const key = keyOf(problem);
      const seen = byMessage.get(key);
      if (seen) seen.hosts.push(host.name);
      else byMessage.set(key, { problem, hosts: [host.name] });
    }
  }
  return [...byMessage.values()].map(({ problem, hosts: on }) => ({
    ...problem,
    message: `${problem.message} on ${on.length <= 3 ? on.join(', ') : `${on.slice(0, 3).join(', ')} and ${on.length - 3} more`} (after templating)`,
    hint: problem.hint ?? 'fix the variable the template reads for these hosts',
  }));
}
