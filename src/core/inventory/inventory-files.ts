/**
 * Which files an `-i` source names, and which format each is read in, the way Ansible's inventory
 * manager does (ansible/inventory/manager.py parse_source): a directory is walked in sorted order
 * skipping what its ignore list names, and each file is offered to the enabled plugins in turn
 * (INVENTORY_ENABLED: host_list, script, auto, yaml, ini, toml).
 */
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { isMap } from 'yaml';
import { UserError, type Problem } from '../errors.ts';
import { loadYamlFile, parseYamlSource, type YamlSource } from '../yaml-source.ts';
import type { InventoryDraft } from './draft.ts';
import { readIniInventory } from './ini-inventory.ts';
import { readYamlInventory } from './yaml-inventory.ts';
import { readControllerText, VaultProblem } from '../vault/vault-keyring.ts';

const YAML_EXTENSIONS = ['.yml', '.yaml', '.json'];

/**
 * What Ansible skips in an inventory directory, at every level (manager.py IGNORED): hidden names,
 * host_vars, group_vars and vars_plugins, and names ending in INVENTORY_IGNORE_EXTS, whose default
 * is REJECT_EXTS (ansible/constants.py) plus .orig, .ini, .cfg and .retry (ansible/config/base.yml).
 */
const IGNORED_NAMES = ['host_vars', 'group_vars', 'vars_plugins'];
const IGNORED_ENDINGS = ['.pyc', '.pyo', '.swp', '.bak', '~', '.rpm', '.md', '.txt', '.rst', '.orig', '.ini', '.cfg', '.retry'];

function ignoredInInventoryDir(name: string): boolean {
  return name.startsWith('.') || IGNORED_NAMES.includes(name) || IGNORED_ENDINGS.some((e) => name.endsWith(e));
}

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
      message: `inventory directory ${path} holds no inventory files`,
      hint: `put the inventory file in it, or give -i the file itself (as in Ansible, hidden files, group_vars/, host_vars/ and names ending in ${IGNORED_ENDINGS.join(' ')} are skipped)`,
    });
  }
  return { isDir, list };
}

function isYamlFile(file: string): boolean {
  return YAML_EXTENSIONS.some((e) => file.endsWith(e));
}

/**
 * One inventory file, offered to what Ansible's plugins do in their order: an executable script is
 * refused (lvsdr does not run inventory scripts); a YAML extension or none is tried as YAML (the yaml
 * plugin; without an extension only a mapping counts, anything else goes on to INI); any other file
 * is INI, except `.toml`, which lvsdr does not read.
 */
export function readInventoryFile(file: string, draft: InventoryDraft, problems: Problem[]): void {
  if (isScript(file)) {
    problems.push({
      pos: { file, line: 1, col: 1 },
      message: 'this is an executable inventory script, which lvsdr does not run',
      hint: `write its output as a static inventory and give lvsdr that: ansible-inventory -i ${file} --list -y > inventory.yml`,
    });
    return;
  }
  if (file.endsWith('.toml')) {
    problems.push({ pos: { file, line: 1, col: 1 }, message: 'lvsdr does not read TOML inventories', hint: 'write the inventory in YAML or INI' });
    return;
  }
  if (isYamlFile(file)) return readYamlInventory(loadYamlFile(file), draft, problems);
  let text: string;
  try {
    text = readControllerText(file);
  } catch (err) {
    if (!(err instanceof VaultProblem)) throw err;
    problems.push({ pos: { file, line: 1, col: 1 }, ...err.problem });
    return;
  }
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

/**
 * What Ansible's script plugin runs: an executable file. Its verify_file also takes a file that only
 * starts with `#!`, but running a file without an execute bit fails and the next plugins read it;
 * an executable file that is neither `#!` nor a binary fails to run the same way (exec format error).
 */
function isScript(file: string): boolean {
  if ((statSync(file).mode & 0o111) === 0) return false;
  const head = Buffer.alloc(4);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, 4, 0);
  } finally {
    closeSync(fd);
  }
  return head.subarray(0, 2).toString('latin1') === '#!' || head.toString('latin1') === '\x7fELF';
}

/** Every file of an inventory directory that Ansible would offer to its plugins, in its order. */
function inventoryFilesUnder(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    if (ignoredInInventoryDir(entry)) continue;
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) files.push(...inventoryFilesUnder(full));
    else files.push(full);
  }
  return files;
}
