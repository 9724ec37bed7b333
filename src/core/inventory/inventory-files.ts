/**
 * Which files an `-i` source names, and which format each is read in: YAML for .yml/.yaml/.json,
 * otherwise decided the way Ansible tries its plugins in turn.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { isMap } from 'yaml';
import { UserError, type Problem } from '../errors.ts';
import { loadYamlFile, parseYamlSource, type YamlSource } from '../yaml-source.ts';
import type { InventoryDraft } from './draft.ts';
import { readIniInventory } from './ini-inventory.ts';
import { readYamlInventory } from './yaml-inventory.ts';

const YAML_EXTENSIONS = ['.yml', '.yaml', '.json'];

/** The inventory files of one `-i` source: the file itself, or a directory's, recursively. */
export function inventoryFiles(path: string, problems: Problem[]): { isDir: boolean; list: string[] } | undefined {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    problems.push({
      message: `inventory not found: ${path}`,
      hint: 'check the path given to -i (an inventory file, or a directory of them); relative paths start at the current directory',
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

function isYamlFile(file: string): boolean {
  return YAML_EXTENSIONS.some((e) => file.endsWith(e));
}

/**
 * A file named with a YAML extension is YAML. Any other file is tried the way Ansible tries its
 * plugins: without an extension, as YAML when it parses to a mapping; otherwise as INI.
 */
export function readInventoryFile(file: string, draft: InventoryDraft, problems: Problem[]): void {
  if (isYamlFile(file)) return readYamlInventory(loadYamlFile(file), draft, problems);
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

/** In a directory only YAML files and files without an extension (Ansible's usual `hosts`) count. */
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
