/**
 * A list of tasks or handlers, with `import_tasks: file.yml` expanded in place (static, like
 * Ansible's import: the imported tasks keep their own file's positions; `when`, `tags` and
 * the privilege and connection keywords on the import line apply to each of them), and
 * `import_role` expanded in place by the play's roles (roles.ts). `include_tasks` stays a task of
 * its own, dynamic as Ansible's (include-tasks.ts).
 */
import { dirname, join, resolve } from 'node:path';
import { isMap, isScalar, isSeq, type Pair, type YAMLMap } from 'yaml';
import { closestName, UserError } from '../errors.ts';
import { isTemplate } from '../templating.ts';
import { loadYamlFile } from '../yaml-source.ts';
import { ACCESS_KEYWORDS, readAccessKeywords } from './access-keywords.ts';
import { IMPORT_KEYS, IMPORT_KEYWORDS, ROLE_KEYS, shortModuleName, type ModuleLookup } from './keywords.ts';
import { readEnvironment } from './environment-keyword.ts';
import { readIncludeTasks } from './include-tasks.ts';
import { inheritKeywords, isBlockEntry, loadBlock } from './load-block.ts';
import { loadTask } from './load-task.ts';
import { readImportRole } from './role-entry.ts';
import type { TaskListScope } from './roles.ts';
import type { TaskNode } from './types.ts';
import { describe, keyName, readConditions, readMap, readStringList, type Reader } from './yaml-read.ts';

export function loadTaskList(r: Reader, node: unknown, key: string, modules: ModuleLookup, isHandler: boolean, importing: string[], scope: TaskListScope): TaskNode[] {
  if (node === null || (isScalar(node) && node.value === null)) return [];
  if (!isSeq(node)) {
    r.problems.add({ pos: r.src.posOf(node), message: `'${key}' must be a list of tasks, not ${describe(node)}`, hint: 'start each task with "- name: ..."' });
    return [];
  }
  const tasks: TaskNode[] = [];
  for (const item of node.items) {
    const map = readMap(r, item, 'a task', 'each task is a mapping: a name, one module and its arguments');
    if (!map) continue;
    if (isBlockEntry(map)) {
      if (isHandler) r.problems.add({ pos: r.src.posOf(map), message: 'blocks are not supported among handlers', hint: 'write each handler as one task' });
      const block = isHandler ? undefined : loadBlock(r, map, (list, section) => loadTaskList(r, list, section, modules, false, importing, scope));
      if (block) tasks.push(block);
      continue;
    }
    const importPair = map.items.find((p) => IMPORT_KEYS.includes(shortModuleName(keyName(p))));
    if (importPair) {
      tasks.push(...importTasks(r, map, importPair, modules, isHandler, importing, scope));
      continue;
    }
    const rolePair = map.items.find((p) => ROLE_KEYS.includes(shortModuleName(keyName(p))));
    if (rolePair) {
      tasks.push(...importRole(r, map, rolePair, isHandler, scope));
      continue;
    }
    const task = loadTask(r, map, modules, isHandler);
    if (task) tasks.push(task);
  }
  return tasks;
}

function importTasks(r: Reader, map: YAMLMap, importPair: Pair, modules: ModuleLookup, isHandler: boolean, importing: string[], scope: TaskListScope): TaskNode[] {
  if (shortModuleName(keyName(importPair)) === 'include_tasks') {
    if (isHandler) {
      r.problems.add({ pos: r.src.posOf(importPair.key), message: 'include_tasks is not supported among handlers', hint: 'write the handlers in the handlers list, or import_tasks their file' });
      return [];
    }
    const task = readIncludeTasks(r, map, importPair, modules, importing, scope, (inner, node, key, chain, innerScope) => loadTaskList(inner, node, key, modules, false, chain, innerScope));
    return task ? [task] : [];
  }
  const pairs = map.items;
  const before = r.problems.items.length;
  let when: string[] = [];
  let tags: string[] = [];
  let environment: unknown[] = [];
  const keywords = new Map<string, Pair>();
  for (const pair of pairs) {
    if (pair === importPair) continue;
    const key = keyName(pair);
    if (key === 'when') when = readConditions(r, pair.value, 'when') ?? [];
    else if (key === 'tags') tags = readStringList(r, pair.value, 'tags') ?? [];
    else if (key === 'environment') environment = readEnvironment(r, pair.value);
    else if ((ACCESS_KEYWORDS as readonly string[]).includes(key)) keywords.set(key, pair);
    else if (key !== 'name') {
      const near = closestName(key, IMPORT_KEYWORDS);
      r.problems.add({ pos: r.src.posOf(pair.key), message: `'${key}' cannot be used on ${keyName(importPair)}`, hint: near ? `did you mean '${near}'?` : `allowed here: ${IMPORT_KEYWORDS.join(', ')}` });
    }
  }
  const access = readAccessKeywords(r, keywords);
  const fileNode = isMap(importPair.value) ? importPair.value.get('file', true) : importPair.value;
  const file = isScalar(fileNode) && typeof fileNode.value === 'string' ? fileNode.value : undefined;
  if (file === undefined || isTemplate(file)) {
    r.problems.add({
      pos: r.src.posOf(fileNode ?? importPair.key),
      message: `${keyName(importPair)} needs a task file name${file ? ' without templates' : ''}, not ${describe(fileNode)}`,
      hint: 'imports are read before the run: write the path literally, relative to this file',
    });
    return [];
  }
  if (r.problems.items.length > before) return [];
  // Joined, not resolved: positions then name files the way the user named the playbook.
  const path = join(dirname(r.src.file), file);
  const at = r.src.posOf(fileNode);
  const chain = [...importing, r.src.file];
  if (chain.some((f) => resolve(f) === resolve(path))) {
    r.problems.add({ pos: at, message: `import cycle: ${[...chain, path].join(' → ')}`, hint: 'remove one of the import_tasks lines in the cycle' });
    return [];
  }
  try {
    const src = loadYamlFile(path, at);
    const inner: Reader = { src, problems: r.problems };
    const tasks = loadTaskList(inner, src.doc.contents, file, modules, isHandler, chain, scope);
    return inheritKeywords(tasks, { when, tags, access, environment, positions: new Map(pairs.map((p) => [keyName(p), r.src.posOf(p.value ?? p.key)])) });
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    r.problems.addAll(err.problems);
    return [];
  }
}

/**
 * `import_role` (static, as Ansible imports it); `include_role` only where it would do the same:
 * its dynamic meaning (a `when` evaluated once, `loop`, `apply`, `public`, tags that do not reach
 * the role's tasks) is refused rather than run differently.
 */
function importRole(r: Reader, map: YAMLMap, rolePair: Pair, isHandler: boolean, scope: TaskListScope): TaskNode[] {
  const key = shortModuleName(keyName(rolePair));
  if (isHandler) {
    r.problems.add({ pos: r.src.posOf(rolePair.key), message: `${key} cannot be used in handlers`, hint: 'list the handlers in the role itself, or notify the role\'s handlers by name' });
    return [];
  }
  if (key === 'include_role') {
    r.problems.add({
      pos: r.src.posOf(rolePair.key),
      message: 'include_role is not supported: lvsdr loads every role before the run',
      hint: 'use import_role, which runs the role in the same place; its `when` and `tags` apply to each of the role\'s tasks',
    });
    return [];
  }
  if (scope.atRunTime) {
    r.problems.add({ pos: r.src.posOf(rolePair.key), message: 'import_role in a file include_tasks reads while the play runs is not supported', hint: "lvsdr settles a play's roles before the run: name the included file without templates, or import the role beside the include" });
    return [];
  }
  const request = readImportRole(r, map, rolePair);
  return request ? scope.roles.importRole(r, request, scope.chain) : [];
}
