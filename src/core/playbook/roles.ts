/**
 * The roles of one play, loaded before the run as ansible-core 2.14 loads them
 * (ansible/playbook/role/__init__.py, play.py):
 *   - a role is its directory: tasks/main, handlers/main, defaults/main, vars/main, meta/main
 *     (`.yml`, `.yaml`, `.json` or no extension, first found); templates/ and files/ are searched
 *     by the template and copy modules (modules/controller-file.ts);
 *   - meta/main.yml `dependencies` run before the role, innermost first;
 *   - one role object per name and parameters (`vars`, `when`, `tags`, role parameters, the
 *     *_from files, and whether import_role brought it): its tasks run once in a play, however
 *     often it is named, unless its meta says `allow_duplicates: true` (import_role: unless its
 *     `allow_duplicates: false`);
 *   - a role's tasks and handlers take the `when`, `tags` and privilege keywords of every role
 *     entry on the way to them (the dependency chain), and are named `role : task`;
 *   - the variables they see are computed here per chain (RoleScope); every role the play names
 *     also lends its defaults and vars to every task of the play (Play.roleDefaults/roleVars).
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isMap, isScalar, isSeq } from 'yaml';
import { formatPos, UserError, type ProblemList, type SourcePos } from '../errors.ts';
import { loadYamlFile, type YamlSource } from '../yaml-source.ts';
import type { ModuleLookup } from './keywords.ts';
import { inheritKeywords } from './load-block.ts';
import { loadTaskList } from './load-tasks.ts';
import { readRoleEntry, type RoleFileKind, type RoleRequest } from './role-entry.ts';
import { findRole, isCollectionRoleName } from './role-search.ts';
import { allTasks, isBlock, leafTasks, type RoleScope, type Task, type TaskNode } from './types.ts';
import { readVarsFile } from './vars-file.ts';
import { describe, keyName, readBool, type Reader } from './yaml-read.ts';

/** One role object (Ansible's ROLE_CACHE entry): a role directory named with one set of parameters. */
interface LoadedRole {
  request: RoleRequest;
  name: string;
  /** Its directory as the playbook named it (file positions), and absolute (`role_path`). */
  dir: string;
  path: string;
  defaults: Record<string, unknown>;
  vars: Record<string, unknown>;
  deps: LoadedRole[];
  allowDuplicates: boolean;
  /** Its task and handler files as loaded the first time (nested imports see that first chain). */
  tasks?: TaskNode[];
  handlers?: Task[];
}

/** What a task list being loaded belongs to: the play's roles, and the chain of roles it is inside. */
export interface TaskListScope {
  roles: PlayRoles;
  chain: LoadedRole[];
  /** The list is a file include_tasks reads while the play runs, when the play's roles are already settled. */
  atRunTime?: boolean;
}

export class PlayRoles {
  private readonly cache = new Map<string, LoadedRole>();
  private readonly ran = new Set<LoadedRole>();
  private readonly withHandlers = new Set<LoadedRole>();
  /** Roles whose defaults and vars every task of the play sees: the roles: entries and every import_role. */
  private readonly named: LoadedRole[] = [];
  /** Handlers of the roles: entries, and of roles brought in by import_role, in load order. */
  readonly rolesHandlers: Task[] = [];
  readonly importedHandlers: Task[] = [];

  /** `playbookDir`: the directory of the playbook file the play is in, where roles are looked for first (and include_tasks' files last). */
  readonly playbookDir: string;
  private readonly modules: ModuleLookup;
  private readonly problems: ProblemList;
  private readonly rolesPath: string[];

  constructor(playbookDir: string, rolesPath: string[], modules: ModuleLookup, problems: ProblemList) {
    this.playbookDir = playbookDir;
    this.rolesPath = rolesPath;
    this.modules = modules;
    this.problems = problems;
  }

  /** The tasks of a play's `roles:` list, dependencies first; their handlers go to rolesHandlers. */
  playRoles(r: Reader, node: unknown): TaskNode[] {
    if (node === null || node === undefined || (isScalar(node) && node.value === null)) return [];
    if (!isSeq(node)) {
      r.problems.add({ pos: r.src.posOf(node), message: `'roles' must be a list of roles, not ${describe(node)}`, hint: 'write one - role_name per line' });
      return [];
    }
    const tasks: TaskNode[] = [];
    for (const item of node.items) {
      const request = readRoleEntry(r, item);
      const role = request && this.load(r, request, undefined, []);
      if (!role) continue;
      this.named.push(role);
      tasks.push(...this.compile(role, []));
      this.rolesHandlers.push(...this.handlerList(role, []));
    }
    return tasks;
  }

  /** An import_role line inside a task list of `chain`: the role's tasks in its place. */
  importRole(r: Reader, request: RoleRequest, chain: LoadedRole[]): TaskNode[] {
    const role = this.load(r, request, chain.at(-1) && dirname(chain.at(-1)!.dir), []);
    if (!role) return [];
    this.named.push(role);
    this.importedHandlers.push(...this.handlerList(role, chain));
    // The roles of `chain` hand their keywords down when their own task lists are copied (inChain).
    return this.compile(role, chain, chain.length);
  }

  /** What every task of the play sees from its roles (role.get_default_vars() and get_vars() of each). */
  playWide(): { defaults: Record<string, unknown>; vars: Record<string, unknown> } {
    return { defaults: Object.assign({}, ...this.named.map(defaultsOf)), vars: Object.assign({}, ...this.named.map(varsOf)) };
  }

  private load(r: Reader, request: RoleRequest, dependentDir: string | undefined, loading: { path: string; pos: SourcePos }[]): LoadedRole | undefined {
    if (isCollectionRoleName(request.name)) {
      r.problems.add({ pos: request.namePos, message: `role '${request.name}' is from a collection, which lvsdr does not read`, hint: 'copy the role into roles/ beside the playbook and name it without its collection' });
      return undefined;
    }
    const found = findRole(request.name, this.playbookDir, this.rolesPath, dependentDir);
    if (!found.found) {
      r.problems.add({ pos: request.namePos, message: `role '${request.name}' was not found`, hint: `looked in ${found.searched.join(':')}; put the role in roles/ beside the playbook, or set --roles-path (ANSIBLE_ROLES_PATH, roles_path in ansible.cfg)` });
      return undefined;
    }
    const cycleAt = loading.findIndex((l) => l.path === found.path);
    if (cycleAt >= 0) {
      const names = [...loading.slice(cycleAt).map((l) => l.path), found.path].map((p) => p.split('/').pop()).join(' → ');
      r.problems.add({
        pos: request.namePos,
        message: `circular role dependency: ${names}`,
        hint: `role '${request.name}' is already being loaded from ${formatPos(loading[cycleAt].pos)}; remove one of the dependencies in the cycle`,
      });
      return undefined;
    }
    const key = JSON.stringify([found.path, request.params, request.when, request.tags, request.vars, request.from, request.fromInclude]);
    const cached = this.cache.get(key);
    if (cached) return cached;
    const role = this.readRole(r, request, found, [...loading, { path: found.path, pos: request.namePos }]);
    if (role) this.cache.set(key, role);
    return role;
  }

  private readRole(r: Reader, request: RoleRequest, { name, dir, path }: { name: string; dir: string; path: string }, loading: { path: string; pos: SourcePos }[]): LoadedRole | undefined {
    if (!statSync(path).isDirectory()) {
      r.problems.add({ pos: request.namePos, message: `role '${request.name}' is ${dir}, which is not a directory` });
      return undefined;
    }
    const before = r.problems.items.length;
    const role: LoadedRole = { request, name, dir, path, defaults: {}, vars: {}, deps: [], allowDuplicates: false };
    for (const kind of ['vars', 'defaults'] as const) {
      const file = roleFile(r.problems, role, kind);
      if (file) role[kind] = readVarsFile(r.problems, file, request.namePos) ?? {};
    }
    const meta = roleFile(r.problems, role, 'meta');
    const metaSrc = meta && loadYaml(r.problems, meta, request.namePos);
    if (metaSrc) this.readMeta({ src: metaSrc, problems: r.problems }, role, loading);
    if (request.allowDuplicates !== undefined) role.allowDuplicates = request.allowDuplicates;
    return r.problems.items.length === before ? role : undefined;
  }

  /** meta/main.yml: dependencies and allow_duplicates; galaxy_info is for ansible-galaxy only. */
  private readMeta(r: Reader, role: LoadedRole, loading: { path: string; pos: SourcePos }[]): void {
    const root = r.src.doc.contents;
    if (root === null) return;
    if (!isMap(root)) {
      r.problems.add({ pos: r.src.posOf(root), message: `meta/main.yml must be a mapping, not ${describe(root)}` });
      return;
    }
    for (const pair of root.items) {
      const key = keyName(pair);
      if (key === 'galaxy_info') continue;
      if (key === 'allow_duplicates') role.allowDuplicates = readBool(r, pair.value, 'allow_duplicates') ?? false;
      else if (key === 'dependencies') {
        const deps = pair.value;
        if (deps === null || (isScalar(deps) && deps.value === null)) continue;
        if (!isSeq(deps)) {
          r.problems.add({ pos: r.src.posOf(deps), message: `'dependencies' must be a list of roles, not ${describe(deps)}` });
          continue;
        }
        for (const item of deps.items) {
          const request = readRoleEntry(r, item);
          const dep = request && this.load(r, request, dirname(role.dir), loading);
          if (dep) role.deps.push(dep);
        }
      } else {
        const why = key === 'argument_specs' ? 'lvsdr does not validate role arguments' : key === 'collections' ? 'lvsdr does not read collections' : 'meta/main.yml holds dependencies, allow_duplicates and galaxy_info';
        r.problems.add({ pos: r.src.posOf(pair.key), message: `'${key}' in a role's meta/main.yml is not supported`, hint: why });
      }
    }
    for (const ext of ['.yml', '.yaml']) {
      const specs = join(role.dir, 'meta', `argument_specs${ext}`);
      if (existsSync(specs)) r.problems.add({ pos: { file: specs, line: 1, col: 1 }, message: "a role's argument_specs are not supported", hint: 'lvsdr does not validate role arguments: remove the file, or check them with assert' });
    }
  }

  /**
   * The role's tasks after its dependencies', each once a play unless duplicates are allowed; they
   * take the keywords of the chain's roles from `handing` on.
   */
  private compile(role: LoadedRole, parents: LoadedRole[], handing = 0): TaskNode[] {
    const chain = [...parents, role];
    const tasks = role.deps.flatMap((dep) => this.compile(dep, chain, handing));
    if (this.ran.has(role) && !role.allowDuplicates) return tasks;
    this.ran.add(role);
    role.tasks ??= this.loadList(role, 'tasks', chain);
    return [...tasks, ...inChain(role.tasks, chain, handing)];
  }

  /** Handlers of the role and its dependencies (dependencies first), once a play. */
  private handlerList(role: LoadedRole, parents: LoadedRole[]): Task[] {
    const chain = [...parents, role];
    const handlers = role.deps.flatMap((dep) => this.handlerList(dep, chain));
    if (this.withHandlers.has(role)) return handlers;
    this.withHandlers.add(role);
    role.handlers ??= leafTasks(this.loadList(role, 'handlers', chain));
    return [...handlers, ...(inChain(role.handlers, chain, 0) as Task[])];
  }

  private loadList(role: LoadedRole, kind: 'tasks' | 'handlers', chain: LoadedRole[]): TaskNode[] {
    const file = roleFile(this.problems, role, kind);
    const src = file && loadYaml(this.problems, file, role.request.namePos);
    if (!src) return [];
    return loadTaskList({ src, problems: this.problems }, src.doc.contents, `${kind} of role '${role.name}'`, this.modules, kind === 'handlers', [], { roles: this, chain });
  }
}

/**
 * `chain`'s last role's tasks (and blocks), copied, each task with the `when`, `tags` and privilege
 * keywords of the chain's role entries from `handing` on, handed down as a block hands its own
 * (inheritKeywords), and with its role and `role : ` name. A task an import_role inside the role
 * brought in has its role and name already, and its import's keywords: it takes only the outer
 * entries', after the blocks around it, in Ansible's order (outermost first). Copied because a
 * role's task list is loaded once and may run in several chains.
 */
function inChain(nodes: readonly TaskNode[], chain: LoadedRole[], handing: number): TaskNode[] {
  const role = chain[chain.length - 1];
  const entries = chain.slice(handing);
  const from = {
    when: entries.flatMap((c) => c.request.when),
    tags: entries.flatMap((c) => c.request.tags),
    access: Object.assign({}, ...entries.map((c) => c.request.access)),
    positions: new Map(entries.length > 0 ? [['when', entries[0].request.pos], ['tags', entries[0].request.pos]] : []),
  };
  const copies = inheritKeywords(nodes.map(copyNode), from);
  const params = includeParams(chain);
  for (const task of allTasks(copies)) {
    if (task.role) continue;
    Object.assign(task, { name: `${role.name} : ${task.name}`, role: scopeOf(chain) });
    if (params || task.includeParams) task.includeParams = { ...params, ...task.includeParams };
  }
  return copies;
}

/** A task list's copy, down to the tasks of its include_tasks lines, that keywords can be handed to without reaching the original. */
function copyNode(node: TaskNode): TaskNode {
  if (isBlock(node)) return { ...node, block: node.block.map(copyNode), rescue: node.rescue.map(copyNode), always: node.always.map(copyNode) };
  const include = node.include && { ...node.include, inherited: [...node.include.inherited], ...(node.include.tasks ? { tasks: node.include.tasks.map(copyNode) } : {}) };
  return { ...node, keywordPos: node.keywordPos && new Map(node.keywordPos), ...(include ? { include } : {}) };
}

/** The `vars` of the import_role lines on the way, the innermost last (Task.get_include_params). */
function includeParams(chain: LoadedRole[]): Record<string, unknown> | undefined {
  const imports = chain.filter((c) => c.request.fromInclude).map((c) => c.request.vars);
  return imports.length === 0 ? undefined : Object.assign({}, ...imports);
}

const scopes = new WeakMap<LoadedRole[], RoleScope>();

/** The variables a task of `chain`'s last role sees (Role.get_default_vars / get_vars / get_role_params with that chain). */
function scopeOf(chain: LoadedRole[]): RoleScope {
  let scope = scopes.get(chain);
  if (scope) return scope;
  const role = chain[chain.length - 1];
  const deps = allDependencies(role);
  scope = {
    name: role.name,
    path: role.path,
    searchDirs: [...chain].reverse().map((c) => c.path),
    defaults: Object.assign({}, ...deps.map(defaultsOf), ...chain.map((c) => c.defaults)),
    vars: Object.assign({}, ...chain.flatMap((c) => [c.request.vars, c.vars]), ...deps.map(varsOf), role.request.vars, role.vars),
    params: Object.assign({}, ...chain.map((c) => c.request.params)),
  };
  scopes.set(chain, scope);
  return scope;
}

/** Every dependency, each after its own (Role.get_all_dependencies). */
function allDependencies(role: LoadedRole): LoadedRole[] {
  return role.deps.flatMap((dep) => [...allDependencies(dep), dep]);
}

/** Role.get_default_vars() without a chain: the dependencies' defaults, then its own. */
function defaultsOf(role: LoadedRole): Record<string, unknown> {
  return Object.assign({}, ...allDependencies(role).map(defaultsOf), role.defaults);
}

/** Role.get_vars(include_params=False) without a chain: the dependencies' vars, the entry's `vars`, then vars/main. */
function varsOf(role: LoadedRole): Record<string, unknown> {
  return Object.assign({}, ...allDependencies(role).map(varsOf), role.request.vars, role.vars);
}

/**
 * The file of one of a role's directories, as Role._load_role_yaml finds it: `main` with `.yml`,
 * `.yaml`, `.json` or none; a *_from name as written, then with those extensions. A *_from file
 * that is missing from a directory that exists is an error; a missing directory is not.
 */
function roleFile(problems: ProblemList, role: LoadedRole, kind: RoleFileKind | 'meta'): string | undefined {
  const dir = join(role.dir, kind);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return undefined;
  const from = kind === 'meta' ? undefined : role.request.from[kind];
  const names = from === undefined ? ['main.yml', 'main.yaml', 'main.json', 'main'] : [from, `${from}.yml`, `${from}.yaml`, `${from}.json`];
  for (const name of names) {
    const file = join(dir, name);
    if (!existsSync(file)) continue;
    if (statSync(file).isDirectory()) {
      // Ansible reads every file of a vars/main/ directory; lvsdr does not.
      if (kind === 'vars' || kind === 'defaults') {
        problems.add({ pos: role.request.namePos, message: `role '${role.name}' has a ${kind}/${name}/ directory, which lvsdr does not read`, hint: `put the variables in ${kind}/${name}.yml` });
        return undefined;
      }
      continue;
    }
    return file;
  }
  if (from !== undefined) problems.add({ pos: role.request.namePos, message: `role '${role.name}' has no ${kind}/${from}`, hint: `the files in ${dir} are looked for with .yml, .yaml or .json added` });
  return undefined;
}

function loadYaml(problems: ProblemList, file: string, at: SourcePos): YamlSource | undefined {
  try {
    return loadYamlFile(file, at);
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    problems.addAll(err.problems);
    return undefined;
  }
}
