/**
 * What names a role: an entry of a play's `roles:` or of a role's meta/main.yml `dependencies`
 * (a name, or a mapping with `role:` or `name:`), or an `import_role` line. Read with the meaning
 * of Ansible's RoleDefinition (ansible-core 2.14): `vars`, `when`, `tags` and the privilege and
 * connection keywords apply to every task of the role; any other key that is not a keyword is a
 * role parameter. Keywords lvsdr cannot apply to a role's tasks are refused.
 */
import { isMap, isScalar, type Pair, type YAMLMap } from 'yaml';
import { ansibleBoolean } from '../access-vars.ts';
import type { SourcePos } from '../errors.ts';
import { closestName } from '../errors.ts';
import { isTemplate } from '../templating.ts';
import { ACCESS_KEYWORDS, checkAccessVars, readAccessKeywords } from './access-keywords.ts';
import { FreeFormError, parseFreeForm } from './free-form.ts';
import type { AccessKeywords } from './types.ts';
import { describe, keyName, readConditions, readStringList, toJS, type Reader } from './yaml-read.ts';

export interface RoleRequest {
  name: string;
  namePos: SourcePos;
  /** The entry (or import line) naming the role. */
  pos: SourcePos;
  vars: Record<string, unknown>;
  params: Record<string, unknown>;
  when: string[];
  tags: string[];
  access: AccessKeywords;
  /** import_role's tasks_from, vars_from, defaults_from, handlers_from: file names in the role's directories. */
  from: Partial<Record<RoleFileKind, string>>;
  /** Brought in by import_role: Ansible's from_include (its own copy of the role, its vars as include params). */
  fromInclude: boolean;
  /** import_role's allow_duplicates (true unless said); undefined for a roles: entry, which takes the role's meta. */
  allowDuplicates?: boolean;
}

export type RoleFileKind = 'tasks' | 'handlers' | 'vars' | 'defaults';

/** Keywords Ansible takes on a role entry and lvsdr cannot apply to the role's tasks. */
const REFUSED_ON_ROLE = [
  'port',
  'module_defaults',
  'environment',
  'no_log',
  'run_once',
  'ignore_errors',
  'ignore_unreachable',
  'check_mode',
  'diff',
  'any_errors_fatal',
  'throttle',
  'timeout',
  'debugger',
  'collections',
  'delegate_to',
  'delegate_facts',
];

/** A `roles:` or `dependencies:` entry; undefined (with a problem recorded) when it names no role. */
export function readRoleEntry(r: Reader, node: unknown): RoleRequest | undefined {
  const pos = r.src.posOf(node);
  if (isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number')) {
    const name = roleName(r, node, String(node.value));
    return name === undefined ? undefined : { ...emptyRequest(name, pos, pos), fromInclude: false };
  }
  if (!isMap(node)) {
    r.problems.add({ pos, message: `a role entry must be a role name or a mapping with 'role:', not ${describe(node)}`, hint: 'write - role_name, or - role: role_name with vars:, tags:, when:' });
    return undefined;
  }
  const nameNode = node.get('role', true) ?? node.get('name', true);
  if (nameNode === undefined) {
    const galaxy = node.has('src');
    r.problems.add({
      pos,
      message: galaxy ? "a role entry with 'src' is a role requirement for ansible-galaxy, not a role to run" : "a role entry must name its role with 'role:' (or 'name:')",
      hint: galaxy ? 'install the role, then name it with role: NAME' : 'add role: NAME',
    });
    return undefined;
  }
  const name = isScalar(nameNode) && (typeof nameNode.value === 'string' || typeof nameNode.value === 'number') ? roleName(r, nameNode, String(nameNode.value)) : badName(r, nameNode);
  if (name === undefined) return undefined;
  const request = { ...emptyRequest(name, r.src.posOf(nameNode), pos), fromInclude: false };
  const keywords = new Map<string, Pair>();
  for (const pair of node.items) {
    const key = keyName(pair);
    if (key === 'role' || key === 'name') continue;
    if (key === 'vars') request.vars = readRoleVars(r, pair.value) ?? {};
    else if (key === 'when') request.when = readConditions(r, pair.value, 'when') ?? [];
    else if (key === 'tags') request.tags = readStringList(r, pair.value, 'tags') ?? [];
    else if ((ACCESS_KEYWORDS as readonly string[]).includes(key)) keywords.set(key, pair);
    else if (REFUSED_ON_ROLE.includes(key)) r.problems.add({ pos: r.src.posOf(pair.key), message: `'${key}' on a role is not supported`, hint: `set '${key}' on the role's tasks instead` });
    else request.params[key] = toJS(r, pair.value);
  }
  request.access = readAccessKeywords(r, keywords);
  return request;
}

/** import_role's own arguments (Ansible's IncludeRole.VALID_ARGS less what only include_role takes). */
const IMPORT_ROLE_ARGS = ['name', 'role', 'tasks_from', 'vars_from', 'defaults_from', 'handlers_from', 'allow_duplicates', 'rolespec_validate'];

/** Keywords an import_role line may carry; like import_tasks', they apply to every task of the role. */
export const IMPORT_ROLE_KEYWORDS = ['name', 'when', 'tags', 'vars', ...ACCESS_KEYWORDS];

/** An `import_role` line: its arguments, and the line's own keywords (`pairs` less the import_role key). */
export function readImportRole(r: Reader, node: YAMLMap, importPair: Pair): RoleRequest | undefined {
  const before = r.problems.items.length;
  const argsNode = importPair.value;
  const args = importRoleArgs(r, argsNode);
  if (!args) return undefined;
  // Where an argument (its key, or its value) is when written as a mapping; else the key=value line.
  const argPair = (key: string) => (isMap(argsNode) ? argsNode.items.find((p) => keyName(p) === key) : undefined);
  const argPos = (key: string, at: 'key' | 'value' = 'value') => r.src.posOf(argPair(key)?.[at] ?? argsNode);
  for (const key of Object.keys(args)) {
    if (IMPORT_ROLE_ARGS.includes(key)) continue;
    const hint = key === 'public' || key === 'apply' ? `'${key}' belongs to include_role` : `import_role takes: ${IMPORT_ROLE_ARGS.join(', ')}`;
    r.problems.add({ pos: argPos(key, 'key'), message: `import_role has no argument '${key}'`, hint });
  }
  const written = args.name ?? args.role;
  if (typeof written !== 'string' && typeof written !== 'number') {
    r.problems.add({ pos: r.src.posOf(argsNode ?? importPair.key), message: "import_role needs the role's 'name'", hint: 'write import_role: name: ROLE' });
    return undefined;
  }
  const name = roleName(r, argsNode, String(written));
  if (name === undefined) return undefined;
  const request: RoleRequest = { ...emptyRequest(name, argPos(args.name !== undefined ? 'name' : 'role'), r.src.posOf(node)), fromInclude: true, allowDuplicates: true };
  for (const kind of ['tasks', 'handlers', 'vars', 'defaults'] as const) {
    const value = args[`${kind}_from`];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value.includes('/') || hasTemplate(value)) {
      r.problems.add({
        pos: argPos(`${kind}_from`),
        message: `${kind}_from must name a file in the role's ${kind}/ directory, without templates or directories, not ${JSON.stringify(value)}`,
        hint: `Ansible 2.14 drops the directories of ${kind}_from, later versions keep them: put the file directly in ${kind}/`,
      });
    } else request.from[kind] = value;
  }
  for (const key of ['allow_duplicates', 'rolespec_validate']) {
    if (args[key] === undefined) continue;
    const value = ansibleBoolean(args[key]);
    if (value === undefined) r.problems.add({ pos: argPos(key), message: `import_role's '${key}' must be true or false, not ${JSON.stringify(args[key])}` });
    else if (key === 'allow_duplicates') request.allowDuplicates = value;
  }
  const keywords = new Map<string, Pair>();
  for (const pair of node.items) {
    if (pair === importPair) continue;
    const key = keyName(pair);
    if (key === 'when') request.when = readConditions(r, pair.value, 'when') ?? [];
    else if (key === 'tags') request.tags = readStringList(r, pair.value, 'tags') ?? [];
    else if (key === 'vars') request.vars = readRoleVars(r, pair.value) ?? {};
    else if ((ACCESS_KEYWORDS as readonly string[]).includes(key)) keywords.set(key, pair);
    else if (key !== 'name') {
      const near = closestName(key, IMPORT_ROLE_KEYWORDS);
      r.problems.add({ pos: r.src.posOf(pair.key), message: `'${key}' cannot be used on import_role`, hint: near ? `did you mean '${near}'?` : `allowed here: ${IMPORT_ROLE_KEYWORDS.join(', ')}` });
    }
  }
  request.access = readAccessKeywords(r, keywords);
  return r.problems.items.length === before ? request : undefined;
}

function emptyRequest(name: string, namePos: SourcePos, pos: SourcePos): Omit<RoleRequest, 'fromInclude'> {
  return { name, namePos, pos, vars: {}, params: {}, when: [], tags: [], access: {}, from: {} };
}

/** import_role's arguments: a mapping, or `name=x tasks_from=y` words. */
function importRoleArgs(r: Reader, node: unknown): Record<string, unknown> | undefined {
  if (isMap(node)) return toJS(r, node) as Record<string, unknown>;
  if (isScalar(node) && typeof node.value === 'string') {
    try {
      const parsed = parseFreeForm(node.value, false);
      if (parsed.raw === undefined) return parsed.options;
    } catch (err) {
      if (!(err instanceof FreeFormError)) throw err;
    }
  }
  r.problems.add({ pos: r.src.posOf(node), message: `import_role's arguments must be a mapping or key=value words, not ${describe(node)}`, hint: 'write import_role: followed by name: ROLE on the next line' });
  return undefined;
}

/** isTemplate without its type guard, which would leave a string that is not a template typed `never`. */
const hasTemplate = (text: string): boolean => isTemplate(text);

function roleName(r: Reader, node: unknown, name: string): string | undefined {
  if (hasTemplate(name)) {
    r.problems.add({ pos: r.src.posOf(node), message: `the role name ${JSON.stringify(name)} is a template`, hint: 'lvsdr loads roles before the run: write the role name literally' });
    return undefined;
  }
  if (name.includes(',')) {
    r.problems.add({ pos: r.src.posOf(node), message: `${JSON.stringify(name)} is an old-style role requirement, not a role name`, hint: 'write the role name alone' });
    return undefined;
  }
  if (name.trim() === '') {
    r.problems.add({ pos: r.src.posOf(node), message: 'the role name is empty', hint: 'write the role name' });
    return undefined;
  }
  return name;
}

function badName(r: Reader, node: unknown): undefined {
  r.problems.add({ pos: r.src.posOf(node), message: `a role name must be a string, not ${describe(node)}` });
  return undefined;
}

function readRoleVars(r: Reader, node: unknown): Record<string, unknown> | undefined {
  if (node === null || (isScalar(node) && node.value === null)) return {};
  if (!isMap(node)) {
    r.problems.add({ pos: r.src.posOf(node), message: `'vars' must be a mapping, not ${describe(node)}`, hint: 'write name: value pairs' });
    return undefined;
  }
  const vars = toJS(r, node) as Record<string, unknown>;
  checkAccessVars(r, node, vars);
  return vars;
}
