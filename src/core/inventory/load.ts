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
 * group's inline vars). Values replace, they do not deep-merge. Within one place, `lvsdr_*`
 * connection vars beat their `ansible_*` spellings (connection-vars.ts).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { UserError, type Problem } from '../errors.ts';
import { isMap } from 'yaml';
import { loadYamlFile, parseYamlSource, type YamlSource } from '../yaml-source.ts';
import { InventoryDraft } from './draft.ts';
import { findGroupCycles } from './group-graph.ts';
import { InventoryModel } from './model.ts';
import type { Inventory, InventoryGroup, InventoryHost } from './types.ts';
import { VarsDir } from './vars-dirs.ts';
import { readYamlInventory } from './yaml-inventory.ts';
import { readIniInventory } from './ini-inventory.ts';

const YAML_EXTENSIONS = ['.yml', '.yaml', '.json'];

export function loadInventory(paths: string[]): Inventory {
  if (paths.length === 0) {
    throw new UserError({ message: 'no inventory given', hint: 'name one with -i, e.g. -i inventories/lab.yml' });
  }
  const problems: Problem[] = [];
  const draft = new InventoryDraft();
  const baseDirs: string[] = [];
  for (const path of paths) {
    const files = inventoryFiles(path, problems);
    if (files === undefined) continue;
    const base = files.isDir ? path : dirname(path);
    if (!baseDirs.includes(base)) baseDirs.push(base);
    for (const file of files.list) {
      try {
        if (isYamlFile(file)) readYamlInventory(loadYamlFile(file), draft, problems);
        else readExtensionless(file, draft, problems);
      } catch (err) {
        if (!(err instanceof UserError)) throw err;
        problems.push(...err.problems);
      }
    }
  }
  problems.push(...findGroupCycles(draft));
  if (problems.length > 0) throw new UserError(problems);
  const inventory = assemble(paths, draft, baseDirs, problems);
  if (problems.length > 0) throw new UserError(problems);
  return inventory;
}

/** The YAML files of one `-i` source: the file itself, or a directory's YAML files, recursively. */
function inventoryFiles(path: string, problems: Problem[]): { isDir: boolean; list: string[] } | undefined {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    problems.push({
      message: `inventory not found: ${path}`,
      hint: 'check the path given to -i (a YAML file, or a directory of them); relative paths start at the current directory',
    });
    return undefined;
  }
  if (!isDir) return { isDir, list: [path] };
  const list = inventoryFilesUnder(path);
  if (list.length === 0) {
    problems.push({
      message: `inventory directory ${path} holds no inventory files (.yml, .yaml, .json, or INI files without an extension)`,
      hint: 'put the inventory file in it, or give -i the file itself',
    });
  }
  return { isDir, list };
}

/**
 * A file named with a YAML extension is YAML. Any other file is tried the way Ansible tries its
 * plugins: without an extension, as YAML when it parses to a mapping; otherwise as INI. In a
 * directory only YAML files and files without an extension (Ansible's usual `hosts`) count.
 */
function isYamlFile(file: string): boolean {
  return YAML_EXTENSIONS.some((e) => file.endsWith(e));
}

function readExtensionless(file: string, draft: InventoryDraft, problems: Problem[]): void {
  const text = readFileSync(file, 'utf8');
  if (!extname(file)) {
    let src: YamlSource | undefined;
    try {
      src = parseYamlSource(file, text);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
    }
    if (src && isMap(src.doc.contents)) return readYamlInventory(src, draft, problems);
  }
  readIniInventory(file, text, draft, problems);
}

function inventoryFilesUnder(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    // group_vars/ and host_vars/ hold vars, not inventories.
    if (entry.startsWith('.') || entry === 'group_vars' || entry === 'host_vars') continue;
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) files.push(...inventoryFilesUnder(full));
    else if (isYamlFile(entry) || !extname(entry)) files.push(full);
  }
  return files;
}

function assemble(sources: string[], draft: InventoryDraft, baseDirs: string[], problems: Problem[]): Inventory {
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

  const groupVarsDirs = baseDirs.map((d) => new VarsDir(join(d, 'group_vars')));
  const hostVarsDirs = baseDirs.map((d) => new VarsDir(join(d, 'host_vars')));
  const fromDirs = (dirs: VarsDir[], name: string): Record<string, unknown> =>
    Object.assign({}, ...dirs.map((d) => d.varsFor(name, problems) ?? {}));

  const groups = new Map<string, InventoryGroup>();
  const groupFileVars = new Map<string, Record<string, unknown>>();
  for (const g of draft.groups.values()) {
    const fileVars = fromDirs(groupVarsDirs, g.name);
    groupFileVars.set(g.name, fileVars);
    groups.set(g.name, {
      name: g.name,
      hosts: [...g.hosts],
      children: [...g.children.keys()],
      vars: { ...g.vars, ...fileVars },
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
    const vars = Object.assign(
      {},
      all.vars,
      ...sorted.map((g) => draft.groups.get(g)!.vars),
      groupFileVars.get('all'),
      ...sorted.map((g) => groupFileVars.get(g)),
      ownVars,
    );
    delete vars.ansible_group_priority;
    hosts.set(h.name, { name: h.name, vars, groups: ['all', ...sorted], pos: h.pos, ownVars });
  }
  return new InventoryModel(sources, hosts, groups);
}
