/**
 * Static undefined-variable check: every variable a task's templates read (name, when, loop,
 * delegate_to, arguments, changed_when, failed_when) must be defined for every host the play targets — by the
 * inventory, play vars, vars_files, roles (defaults, vars, parameters, role_path), extra vars,
 * magic vars, facts (when gathered), an earlier `register`, or `item` inside a loop. A variable whose own value is a template is followed through.
 * A name the task's `when` proves defined (`x is defined and ...`) counts as defined for that task.
 */
import { closestName, type Problem, type SourcePos } from '../errors.ts';
import type { InventoryHost } from '../inventory/types.ts';
import { expressionRefs, filterNames, isTemplate, templateRefs, TemplateError, testNames, type TemplateRefs } from '../templating.ts';
import { buildHostVars, FACT_VAR_NAMES, isInterfaceFactName, MAGIC_VAR_NAMES } from '../vars.ts';
import type { ModuleLookup } from './keywords.ts';
import { loopVarNames } from './loop-control.ts';
import type { StaticScope } from './static-args.ts';
import { isBlock, taskSearchDirs, type RoleScope, type Task, type TaskNode } from './types.ts';

interface Site {
  pos: SourcePos;
  refs: TemplateRefs;
  /** Names defined only at this site (`item` in a loop, the task's own register in changed_when). */
  local: string[];
  /** A `when` condition: its `is defined` tests guard the whole task. */
  isWhen?: boolean;
}

interface HostScope {
  name: string;
  vars: Record<string, unknown>;
}

export function undefinedVariableProblems(input: StaticScope, hosts: InventoryHost[], registered: Set<string>, modules: ModuleLookup): Problem[] {
  const problems: Problem[] = [];
  const { play } = input;
  // The variables known before the run, host by host; a role's tasks see more than the play's,
  // and a task with its own (or its blocks') vars or import_role vars sees its own.
  const scopesByRole = new Map<RoleScope | undefined, HostScope[]>();
  const scopesFor = (task: Task): HostScope[] => {
    const shared = !task.includeParams && Object.keys(task.vars).length === 0;
    let scopes = shared ? scopesByRole.get(task.role) : undefined;
    if (!scopes) {
      scopes = hosts.map((h) => ({ name: h.name, vars: buildHostVars({ ...input, host: h, task, registered: {}, checkMode: false }) }));
      if (shared) scopesByRole.set(task.role, scopes);
    }
    return scopes;
  };
  const always = new Set([...MAGIC_VAR_NAMES, ...(play.gatherFacts ? FACT_VAR_NAMES : [])]);
  for (const [task, local] of [...inFileOrder(play.tasks, []), ...play.handlers.map((h): [Task, string[]] => [h, []])]) {
    const taskScopes = scopesFor(task);
    const sites = templateSites(task, modules.get(task.module)?.conditionArgs ?? [], problems, local);
    const guards = new Set(sites.flatMap((s) => (s.isWhen ? [...s.refs.proven] : [])));
    const reported = new Set<string>();
    for (const site of sites) {
      problems.push(...unknownNameProblems(task, site, reported));
      for (const root of site.refs.required) {
        if (guards.has(root) || reported.has(root) || site.local.includes(root)) continue;
        const missing = missingFor(root, taskScopes, always, registered, site.local);
        if (missing.length === 0) continue;
        reported.add(root);
        problems.push(undefinedProblem(task, site.pos, missing, taskScopes.length, always, registered));
      }
    }
    if (task.register) registered.add(task.register);
    // A file read only when a host reaches the line may define any name.
    if (task.include?.read) registered.add(ANY_NAME);
    // set_fact's and include_vars' names are defined from the task on, as a register is; when the
    // arguments do not tell them (a templated file name), any name may be, and none is reported.
    const defines = modules.get(task.module)?.definesVars;
    if (defines) {
      const names = defines(task.args, { searchDirs: taskSearchDirs(task), playbookDir: play.dir });
      for (const name of names ?? [ANY_NAME]) registered.add(name);
    }
  }
  return problems;
}

/** In `registered`: a task defined variables whose names only the run knows. */
const ANY_NAME = '\0any';

/** What a rescue's tasks can read about the failure that started it (Ansible sets both before the rescue). */
const RESCUE_VAR_NAMES = ['ansible_failed_task', 'ansible_failed_result'];

/**
 * Every task under `nodes` in file order (an include_tasks line, then the tasks of its file), with
 * the names defined there alone: in a rescue what it knows of the failure, under a looping include
 * the include's loop variables.
 */
function* inFileOrder(nodes: readonly TaskNode[], local: readonly string[]): Generator<readonly [Task, string[]]> {
  for (const node of nodes) {
    if (!isBlock(node)) {
      yield [node, [...local]];
      if (node.include?.tasks) yield* inFileOrder(node.include.tasks, [...local, ...(node.loop !== undefined ? loopVarNames(node.loopControl) : [])]);
      continue;
    }
    yield* inFileOrder(node.block, local);
    yield* inFileOrder(node.rescue, [...local, ...RESCUE_VAR_NAMES]);
    yield* inFileOrder(node.always, local);
  }
}

/**
 * Hosts lacking the variable, each with the chain of variables that led to the missing one. A
 * variable's template is rendered where the task reads it, so names local to the site (`item`, the
 * task's register) are defined all along the chain: a task var `x: "{{ item.a }}"` read in a loop.
 */
function missingFor(root: string, scopes: HostScope[], always: Set<string>, registered: Set<string>, local: string[]): { host: string; chain: string[]; scope: HostScope }[] {
  const out: { host: string; chain: string[]; scope: HostScope }[] = [];
  const known = new Set([...registered, ...local]);
  for (const scope of scopes) {
    const chain = missingChain(root, scope, always, known, []);
    if (chain) out.push({ host: scope.name, chain, scope });
  }
  return out;
}

function missingChain(name: string, scope: HostScope, always: Set<string>, registered: Set<string>, path: string[]): string[] | undefined {
  if (path.includes(name)) return undefined;
  if (always.has(name) || registered.has(name) || registered.has(ANY_NAME)) return undefined;
  if (always.has('ansible_facts') && isInterfaceFactName(name)) return undefined;
  if (!Object.hasOwn(scope.vars, name)) return [...path, name];
  const value = scope.vars[name];
  if (!containsTemplate(value)) return undefined;
  let refs: TemplateRefs;
  try {
    refs = templateRefs(value);
  } catch {
    return undefined; // a syntax error in a variable's value shows when it is rendered
  }
  for (const inner of refs.required) {
    const chain = missingChain(inner, scope, always, registered, [...path, name]);
    if (chain) return chain;
  }
  return undefined;
}

function containsTemplate(v: unknown): boolean {
  if (isTemplate(v)) return true;
  return v !== null && typeof v === 'object' && Object.values(v).some(containsTemplate);
}

function undefinedProblem(
  task: Task,
  pos: SourcePos,
  missing: { host: string; chain: string[]; scope: HostScope }[],
  hostCount: number,
  always: Set<string>,
  registered: Set<string>,
): Problem {
  const { chain, scope } = missing[0];
  const name = chain[chain.length - 1];
  const via = chain.length > 1 ? ` (through ${chain.slice(0, -1).map((c) => `'${c}'`).join(' → ')})` : '';
  const hosts = missing.length < hostCount ? ` on ${listHosts(missing.map((m) => m.host))}` : '';
  const fact = FACT_VAR_NAMES.includes(name)
    ? 'it is a fact: set gather_facts: true on the play; '
    : ['lookup', 'query', 'q'].includes(name)
      ? 'lookup plugins are not supported: pass the value with -e or a vars file; '
      : '';
  const near = fact ? undefined : closestName(name, [...Object.keys(scope.vars), ...always, ...registered].filter((n) => n !== ANY_NAME));
  return {
    pos,
    message: `undefined variable '${name}'${via} in task '${task.name}'${hosts}`,
    hint: `${fact}${near ? `did you mean '${near}'? ` : ''}define it in the inventory, the play's vars or vars_files, or with -e ${name}=...`,
  };
}

/** Filters and tests that do not exist, once per task, with the closest known name. */
function unknownNameProblems(task: Task, site: Site, reported: Set<string>): Problem[] {
  const problems: Problem[] = [];
  const check = (kind: 'filter' | 'test', names: Set<string>, known: string[]) => {
    for (const name of names) {
      if (reported.has(`${kind}:${name}`)) continue;
      reported.add(`${kind}:${name}`);
      const near = closestName(name, known);
      problems.push({
        pos: site.pos,
        message: `unknown ${kind} '${name}' in task '${task.name}'`,
        hint: near ? `did you mean '${near}'?` : `known ${kind}s: ${known.join(', ')}`,
      });
    }
  };
  check('filter', site.refs.unknownFilters, filterNames());
  check('test', site.refs.unknownTests, testNames());
  return problems;
}

function listHosts(hosts: string[]): string {
  return hosts.length <= 3 ? hosts.join(', ') : `${hosts.slice(0, 3).join(', ')} and ${hosts.length - 3} more`;
}

/** Every place in a task that holds a template or a condition, with the variables it reads. */
function templateSites(task: Task, conditionArgs: string[], problems: Problem[], sectionLocal: string[]): Site[] {
  const sites: Site[] = [];
  const kw = (k: string) => task.keywordPos?.get(k) ?? task.pos;
  const loopLocal = [...sectionLocal, ...(task.loop !== undefined ? loopVarNames(task.loopControl) : [])];
  const add = (pos: SourcePos, local: string[], read: () => TemplateRefs, isWhen = false) => {
    try {
      sites.push({ pos, refs: read(), local, isWhen });
    } catch (err) {
      if (!(err instanceof TemplateError)) throw err;
      problems.push({ pos, message: `${err.message} in task '${task.name}'`, hint: 'fix the Jinja2 syntax: {{ expression }}, {% statement %}' });
    }
  };
  for (const c of task.when) add(kw('when'), loopLocal, () => expressionRefs(c), true);
  // Only a name the user wrote: a default name (`command echo {{ x }}`) repeats the arguments.
  if (task.keywordPos?.has('name') && isTemplate(task.name)) add(kw('name'), loopLocal, () => templateRefs(task.name));
  if (task.loop !== undefined) add(kw(task.loopWith ? `with_${task.loopWith}` : 'loop'), sectionLocal, () => templateRefs(task.loop));
  if (task.loopControl?.label !== undefined) add(kw('loop_control'), loopLocal, () => templateRefs(task.loopControl!.label));
  if (task.environment.length > 0) add(kw('environment'), loopLocal, () => templateRefs(task.environment));
  if (isTemplate(task.delegateTo)) add(kw('delegate_to'), loopLocal, () => templateRefs(task.delegateTo));
  const args = task.args !== null && typeof task.args === 'object' ? (task.args as Record<string, unknown>) : {};
  for (const [path, value] of templateStrings(task.args, '')) {
    if (conditionArgs.some((a) => path === `/${a}` || path.startsWith(`/${a}/`))) continue;
    add(task.argPositions.get(path) ?? task.argsPos, loopLocal, () => templateRefs(value));
  }
  // Arguments that hold bare conditions (assert's `that`) are read like `when`.
  for (const name of conditionArgs) {
    const value = args[name];
    const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
    list.forEach((c, i) => {
      if (typeof c !== 'string') return;
      const pos = task.argPositions.get(Array.isArray(value) ? `/${name}/${i}` : `/${name}`) ?? task.argsPos;
      add(pos, loopLocal, () => expressionRefs(c));
    });
  }
  const resultLocal = [...loopLocal, ...(task.register ? [task.register] : [])];
  for (const c of task.changedWhen ?? []) add(kw('changed_when'), resultLocal, () => expressionRefs(c));
  for (const c of task.failedWhen ?? []) add(kw('failed_when'), resultLocal, () => expressionRefs(c));
  for (const c of task.until?.conditions ?? []) add(kw('until'), resultLocal, () => expressionRefs(c));
  return sites;
}

function* templateStrings(value: unknown, path: string): Generator<[string, string]> {
  if (isTemplate(value)) yield [path, value];
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* templateStrings(v, `${path}/${i}`);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) yield* templateStrings(v, `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
  }
}
