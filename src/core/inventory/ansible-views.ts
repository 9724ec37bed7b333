/**
 * What `ansible-inventory` (checked against ansible-core 2.14) prints: `--list` is JSON with sorted
 * keys and 4-space indents, groups with their `hosts` and `children` (and `vars` with `--export`),
 * empty groups left out, and `_meta.hostvars`; `--graph` is the `@all:` tree with children first,
 * then hosts. Lists keep inventory order, as Ansible does (`ungrouped` is the first child of `all`).
 * The one difference: connection vars show under both their `ansible_*` and `lvsdr_*` names, since
 * that is what lvsdr's templates and modules see (connection-vars.ts).
 */
import { closestName, UserError } from '../errors.ts';
import type { Inventory } from './types.ts';

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * `ansible-inventory --list`. Without `exportVars` each host's vars are its effective vars and groups
 * show no vars; with it, groups show their own vars and hosts only their own, as with `--export`.
 */
export function ansibleList(inv: Inventory, exportVars = false): string {
  const out: Record<string, unknown> = {};
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    const g = inv.groups.get(name)!;
    const entry: Record<string, unknown> = {};
    if (name !== 'all' && g.hosts.length > 0) entry.hosts = g.hosts;
    if (g.children.length > 0) entry.children = g.children;
    if (exportVars && Object.keys(g.vars).length > 0) entry.vars = g.vars;
    if (Object.keys(entry).length > 0) out[name] = entry;
    for (const c of g.children) visit(c);
  };
  visit('all');
  const hostvars: Record<string, unknown> = {};
  for (const h of inv.hosts.values()) {
    const vars = exportVars ? (h.ownVars ?? {}) : h.vars;
    if (Object.keys(vars).length > 0) hostvars[h.name] = vars;
  }
  out._meta = { hostvars };
  return pythonJson(out);
}

/** `ansible-inventory --graph [GROUP]`. */
export function ansibleGraph(inv: Inventory, group = 'all'): string {
  if (!inv.groups.has(group)) throw unknownGroup(inv, group);
  const lines: string[] = [];
  const line = (text: string, depth: number): void => {
    lines.push(depth > 0 ? `${'  |'.repeat(depth)}--${text}` : text);
  };
  const visit = (name: string, depth: number): void => {
    const g = inv.groups.get(name)!;
    line(`@${name}:`, depth);
    for (const c of g.children) visit(c, depth + 1);
    if (name !== 'all') for (const h of g.hosts) line(h, depth + 1);
  };
  visit(group, 0);
  return lines.join('\n') + '\n';
}

/** `ansible-inventory --host NAME`: the host's effective vars. */
export function ansibleHostVars(inv: Inventory, name: string): string {
  const host = inv.hosts.get(name);
  if (!host) {
    const near = closestName(name, inv.hosts.keys());
    throw new UserError({
      message: `no host named "${name}" in the inventory`,
      hint: near ? `did you mean "${near}"?` : 'run `lvsdr inventory --graph` to see the hosts',
    });
  }
  return pythonJson(host.vars);
}

function unknownGroup(inv: Inventory, name: string): UserError {
  const near = closestName(name, inv.groups.keys());
  return new UserError({
    message: `no group named "${name}" in the inventory`,
    hint: `${near ? `did you mean "${near}"? ` : ''}groups are: ${[...inv.groups.keys()].join(', ')}`,
  });
}

/**
 * JSON as Python's json.dumps(sort_keys=True, indent=4) writes it. Written out by hand because
 * JSON.stringify puts integer-like keys ("10", "2") first whatever order they are given in.
 */
function pythonJson(value: unknown): string {
  return dump(value, '') + '\n';
}

function dump(value: unknown, indent: string): string {
  const inner = indent + '    ';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => inner + dump(v, inner)).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj).sort(byName);
    if (keys.length === 0) return '{}';
    return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${dump(obj[k], inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
