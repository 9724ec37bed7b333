/**
 * Loads one or more inventory sources (`-i`, files or directories; Ansible's YAML or INI format)
 * into one Inventory, reporting every problem in every source at once.
 *
 * Variable precedence, lowest first — Ansible's own order, so an inventory means the same under both:
 *   1. inline vars of `all` (in the inventory file)
 *   2. inline vars of the host's other groups, parents before children (by depth from `all`, then
 *      ansible_group_priority, then name: of two sibling groups the later name wins)
 *   3. group_vars/all
 *   4. group_vars/GROUP files, in the same group order as 2
 *   5. inline host vars (including the port of a `name:port` key)
 *   6. host_vars/HOST files
 * So a group_vars/ file beats the inline vars of the same group, and host_vars/ beats inline host vars.
 * As in Ansible, any group_vars/ file beats every inline group var (group_vars/all.yml beats a child
 * group's inline vars). Values replace, they do not deep-merge. Connection vars are then resolved
 * across their spellings as Ansible resolves them (connection-vars.ts).
 *
 * `group_vars/` and `host_vars/` beside the playbook count too, each just above the inventory's of
 * the same kind (Ansible's default VARIABLE_PRECEDENCE: all_inventory, groups_inventory,
 * all_plugins_inventory, all_plugins_play, groups_plugins_inventory, groups_plugins_play; then host
 * vars, inventory host_vars, playbook host_vars: ansible/vars/manager.py get_vars).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError, type Problem } from '../errors.ts';
import { InventoryDraft } from './draft.ts';
import { resolveConnectionVars } from './connection-vars.ts';
import { findGroupCycles } from './group-graph.ts';
import { splitHostPort } from './host-range.ts';
import { InventoryModel } from './model.ts';
import type { Inventory, InventoryGroup, InventoryHost } from './types.ts';
import { inventoryFiles, readInventoryFile } from './inventory-files.ts';
import { VarsDir } from './vars-dirs.ts';

export interface InventoryOptions {
  /** The playbook's directory, whose group_vars/ and host_vars/ Ansible also reads. */
  playbookDir?: string;
}

export function loadInventory(paths: string[], options: InventoryOptions = {}): Inventory {
  if (paths.length === 0) {
    throw new UserError({ message: 'no inventory given', hint: 'name one with -i, e.g. -i inventories/lab.yml' });
  }
  const problems: Problem[] = [];
  const draft = new InventoryDraft();
  const baseDirs: string[] = [];
  for (const path of paths) {
    if (isHostList(path)) {
      addHostList(path, draft);
      continue;
    }
    const files = inventoryFiles(path, problems);
    if (files === undefined) continue;
    const base = files.isDir ? path : dirname(path);
    if (!baseDirs.includes(base)) baseDirs.push(base);
    for (const file of files.list) {
      try {
        readInventoryFile(file, draft, problems);
      } catch (err) {
        if (!(err instanceof UserError)) throw err;
        problems.push(...err.problems);
      }
    }
  }
  problems.push(...findGroupCycles(draft));
  if (problems.length > 0) throw new UserError(problems);
  const inventory = assemble(paths, draft, baseDirs, options.playbookDir, problems);
  if (problems.length > 0) throw new UserError(problems);
  return inventory;
}

/** Ansible's host_list plugin takes `-i a,b:2222,` (a path that does not exist and has a comma). */
function isHostList(source: string): boolean {
  return source.includes(',') && !existsSync(source);
}

/** Each name (`host`, `host:port`, `[v6]:port`) into `ungrouped`; a port becomes ansible_port. */
function addHostList(source: string, draft: InventoryDraft): void {
  for (const item of source.split(',').map((h) => h.trim()).filter(Boolean)) {
    const { pattern, port } = splitHostPort(item);
    const host = draft.host(pattern, { file: `-i ${source}`, line: 1, col: source.indexOf(item) + 1 });
    if (port !== undefined) host.vars.ansible_port = port;
    draft.addHostToGroup('ungrouped', pattern);
  }
}

function assemble(sources: string[], draft: InventoryDraft, baseDirs: string[], playbookDir: string | undefined, problems: Problem[]): Inventory {
  const all = draft.group('all');
  const parents = new Map<string, string[]>();
  for (const g of draft.groups.values()) {
    for (const child of g.children.keys()) parents.set(child, [...(parents.get(child) ?? []), g.name]);
  }
  // Groups nobody lists as a child hang under `all`, like Ansible's reconcile step.
  for (const name of draft.groups.keys()) {
    if (name !== 'all' && !parents.has(name)) {
      draft.addChild('all', name);
      parents.set(name, ['all']);
    }
  }
  const directGroups = new Map<string, string[]>();
  for (const g of draft.groups.values()) {
    for (const h of g.hosts) directGroups.set(h, [...(directGroups.get(h) ?? []), g.name]);
  }
  const ungrouped = draft.group('ungrouped');
  for (const host of draft.hosts.keys()) {
    const real = (directGroups.get(host) ?? []).filter((g) => g !== 'all' && g !== 'ungrouped');
    if (real.length > 0) ungrouped.hosts.delete(host);
    else ungrouped.hosts.add(host);
  }

  const depth = new Map<string, number>([['all', 0]]);
  const depthOf = (name: string): number => {
    let d = depth.get(name);
    if (d === undefined) {
      d = Math.max(...(parents.get(name) ?? ['all']).map((p) => depthOf(p) + 1));
      depth.set(name, d);
    }
    return d;
  };
  const priority = (name: string): number => {
    const p = draft.groups.get(name)?.vars.ansible_group_priority;
    return typeof p === 'number' ? p : Number(p ?? 1) || 1;
  };
  const groupOrder = (a: string, b: string): number =>
    depthOf(a) - depthOf(b) || priority(a) - priority(b) || (a < b ? -1 : a > b ? 1 : 0);

  // The playbook's directory adds nothing when it is an inventory's (the same files, in the same order).
  const playDirs = playbookDir && !baseDirs.includes(playbookDir) ? [playbookDir] : [];
  const varsDirs = (dirs: string[], kind: string) => dirs.map((d) => new VarsDir(join(d, kind)));
  const fromDirs = (dirs: VarsDir[], name: string): Record<string, unknown> =>
    Object.assign({}, ...dirs.map((d) => d.varsFor(name, problems) ?? {}));
  const inventoryGroupFiles = varsDirs(baseDirs, 'group_vars');
  const playGroupFiles = varsDirs(playDirs, 'group_vars');
  const hostVarsDirs = [...varsDirs(baseDirs, 'host_vars'), ...varsDirs(playDirs, 'host_vars')];

  const groups = new Map<string, InventoryGroup>();
  const groupFileVars = new Map<string, Record<string, unknown>>();
  const playGroupFileVars = new Map<string, Record<string, unknown>>();
  for (const g of draft.groups.values()) {
    const fileVars = fromDirs(inventoryGroupFiles, g.name);
    const playFileVars = fromDirs(playGroupFiles, g.name);
    groupFileVars.set(g.name, fileVars);
    playGroupFileVars.set(g.name, playFileVars);
    groups.set(g.name, {
      name: g.name,
      hosts: [...g.hosts],
      children: [...g.children.keys()],
      vars: { ...g.vars, ...fileVars, ...playFileVars },
      pos: g.pos,
    });
  }

  const ancestorsOf = (name: string, into: Set<string>): void => {
    if (into.has(name)) return;
    into.add(name);
    for (const p of parents.get(name) ?? []) ancestorsOf(p, into);
  };
  const hosts = new Map<string, InventoryHost>();
  for (const h of draft.hosts.values()) {
    const member = new Set<string>(['all']);
    for (const g of directGroups.get(h.name) ?? []) if (g !== 'ungrouped') ancestorsOf(g, member);
    if (ungrouped.hosts.has(h.name)) member.add('ungrouped');
    const sorted = [...member].filter((g) => g !== 'all').sort(groupOrder);
    const ownVars = { ...h.vars, ...fromDirs(hostVarsDirs, h.name) };
    const vars = resolveConnectionVars(Object.assign(
      {},
      all.vars,
      ...sorted.map((g) => draft.groups.get(g)!.vars),
      groupFileVars.get('all'),
      playGroupFileVars.get('all'),
      ...sorted.map((g) => groupFileVars.get(g)),
      ...sorted.map((g) => playGroupFileVars.get(g)),
      ownVars,
    ));
    delete vars.ansible_group_priority;
    hosts.set(h.name, { name: h.name, vars, groups: ['all', ...sorted], pos: h.pos, ownVars });
  }
  // Ansible's implicit localhost: `all`'s vars and its own host_vars, connection local, in no group
  // (inventory/data.py _create_implicit_localhost).
  // A host the inventory does not list, named by delegate_to: the same, without the local
  // connection (vars/manager.py _get_delegated_vars makes it `Host(name)`).
  const unlistedHost = (name: string, local: boolean): InventoryHost => {
    const ownVars = { ...(local ? { ansible_connection: 'local' } : {}), ...fromDirs(hostVarsDirs, name) };
    const vars = resolveConnectionVars({ ...all.vars, ...groupFileVars.get('all'), ...playGroupFileVars.get('all'), ...ownVars });
    return { name, vars, groups: [], ownVars };
  };
  return new InventoryModel(sources, hosts, groups, unlistedHost);
}
