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
import { isTemplate, renderValue } from '../templating.ts';
import { buildHostVars } from '../vars.ts';
import { checkRawArgs } from './args-schema.ts';
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
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderWhatCan(v, vars)]));
  return value;
}

function hasTemplate(value: unknown): boolean {
  if (isTemplate(value)) return true;
  return value !== null && typeof value === 'object' && Object.values(value).some(hasTemplate);
}

/** Schema problems of a task's arguments as rendered for each host; one problem per distinct message. */
export function staticArgProblems(task: Task, module: ModuleDef, hosts: InventoryHost[], scope: StaticScope): Problem[] {
  if (!hasTemplate(task.args)) return [];
  const keyOf = (p: Problem) => `${p.pos?.line}:${p.pos?.col}:${p.message}`;
  const raw = new Set(checkRawArgs(module, task).map(keyOf));
  const byMessage = new Map<string, { problem: Problem; hosts: string[] }>();
  for (const host of hosts) {
    const vars = buildHostVars({ ...scope, host, registered: {}, checkMode: false });
    const rendered = renderWhatCan(task.args, vars);
    for (const problem of checkRawArgs(module, { ...task, args: rendered })) {
      const key = keyOf(problem);
      if (raw.has(key)) continue;
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
