/**
 * `group_vars/` and `host_vars/` beside an inventory, read the way Ansible's host_group_vars plugin
 * reads them: for an entity NAME the first of `NAME` (a file, or a directory whose YAML files are read
 * recursively in sorted order), `NAME.yml`, `NAME.yaml`, `NAME.json` is used. Files for names the
 * inventory does not have are ignored, as in Ansible (they may belong to another inventory).
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, type Node } from 'yaml';
import { UserError, type Problem } from '../errors.ts';
import { loadYamlFile } from '../yaml-source.ts';
import { normaliseConnectionVars } from './connection-vars.ts';
import { describeNode, isEmptyValue, readVars } from './yaml-nodes.ts';

const EXTENSIONS = ['.yml', '.yaml', '.json'];

/** The vars files of one `group_vars/` or `host_vars/` directory, found by entity name. */
export class VarsDir {
  readonly path: string;
  private readonly byName = new Map<string, { rank: number; path: string }>();

  constructor(path: string) {
    this.path = path;
    let entries: string[];
    try {
      entries = readdirSync(path).sort();
    } catch {
      return; // no such directory: nothing to add
    }
    for (const entry of entries) {
      if (entry.startsWith('.')) continue;
      this.offer(entry, 0, join(path, entry));
      const ext = EXTENSIONS.find((e) => entry.endsWith(e));
      if (ext) this.offer(entry.slice(0, -ext.length), 1 + EXTENSIONS.indexOf(ext), join(path, entry));
    }
  }

  private offer(name: string, rank: number, path: string): void {
    const seen = this.byName.get(name);
    if (!seen || rank < seen.rank) this.byName.set(name, { rank, path });
  }

  /** The vars for NAME from this directory, normalised; undefined when it has none for NAME. */
  varsFor(name: string, problems: Problem[]): Record<string, unknown> | undefined {
    const found = this.byName.get(name);
    if (!found) return undefined;
    const vars: Record<string, unknown> = {};
    for (const file of varsFiles(found.path)) Object.assign(vars, readVarsFile(file, problems));
    return vars;
  }
}

function varsFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  const files: string[] = [];
  for (const entry of readdirSync(path).sort()) {
    if (entry.startsWith('.')) continue;
    const full = join(path, entry);
    if (statSync(full).isDirectory()) files.push(...varsFiles(full));
    else if (EXTENSIONS.some((e) => entry.endsWith(e))) files.push(full);
  }
  return files;
}

function readVarsFile(file: string, problems: Problem[]): Record<string, unknown> {
  let src;
  try {
    src = loadYamlFile(file);
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    problems.push(...err.problems);
    return {};
  }
  const root = src.doc.contents as Node | null;
  if (isEmptyValue(root)) return {};
  if (!isMap(root)) {
    problems.push({
      pos: src.posOf(root),
      message: `a vars file must be a mapping of variable names, found ${describeNode(root)}`,
      hint: 'write one `name: value` per line',
    });
    return {};
  }
  const { vars, positions } = readVars(src, root, problems);
  return normaliseConnectionVars(vars, positions, problems);
}
