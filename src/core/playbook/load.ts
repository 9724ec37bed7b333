/**
 * Loading a playbook: a YAML list of plays, each keeping the source positions of its nodes.
 * Every structural problem (keywords, types, module keys, files) goes into one ProblemList so
 * `lvsdr validate` reports them all at once; validate.ts then checks arguments and references.
 */
import { dirname, join, resolve } from 'node:path';
import { isScalar, isSeq, type Pair, type YAMLMap } from 'yaml';
import { closestName, ProblemList, UserError, type SourcePos } from '../errors.ts';
import { isTemplate, renderValue } from '../templating.ts';
import { loadYamlFile } from '../yaml-source.ts';
import { checkAccessVars, readAccessKeywords } from './access-keywords.ts';
import { readEnvironment } from './environment-keyword.ts';
import { builtinModules, PLAY_KEYWORDS, shortModuleName, UNSUPPORTED, type ModuleLookup } from './keywords.ts';
import { readGatherSubset } from './gather-subset-keyword.ts';
import { loadTaskList } from './load-tasks.ts';
import { defaultRolesPath } from './role-search.ts';
import { PlayRoles } from './roles.ts';
import { readVarsFile } from './vars-file.ts';
import { allTasks, leafTasks, type Play, type Playbook } from './types.ts';
import { checkAnyErrorsFatal, describe, keyName, readBool, readMap, readNumber, readString, readStringList, readThrottle, toJS, type Reader } from './yaml-read.ts';

export interface LoadOptions {
  extraVars?: Record<string, unknown>;
  modules?: ModuleLookup;
  /** Where roles are looked for after roles/ beside the playbook (role-search.ts); Ansible's default when left out. */
  rolesPath?: string[];
  /** Problems are collected here; without it, loadPlaybook throws a UserError holding them all. */
  problems?: ProblemList;
}

export function loadPlaybook(path: string, opts: LoadOptions = {}): Playbook {
  const problems = opts.problems ?? new ProblemList();
  const playbook: Playbook = { path, dir: dirname(resolve(path)), plays: loadPlays(path, opts, problems, []) };
  if (!opts.problems) problems.throwIfAny();
  return playbook;
}

/** The plays of one playbook file, with `import_playbook` lines expanded in place. */
function loadPlays(path: string, opts: LoadOptions, problems: ProblemList, importing: string[], at?: SourcePos): Play[] {
  const plays: Play[] = [];
  try {
    const src = loadYamlFile(path, at);
    const r: Reader = { src, problems };
    const root = src.doc.contents;
    if (!isSeq(root)) {
      problems.add({ pos: src.posOf(root), message: `a playbook must be a list of plays, not ${describe(root)}`, hint: 'start each play with "- name: ..." and "hosts: ..."' });
      return plays;
    }
    for (const item of root.items) {
      const map = readMap(r, item, 'a play', 'each play is a mapping with hosts: and tasks:');
      const importPair = map?.items.find((p) => shortModuleName(keyName(p)) === 'import_playbook');
      if (map && importPair) plays.push(...importPlaybook(r, map, importPair, opts, [...importing, path]));
      else {
        const play = map && loadPlay(r, map, opts);
        if (play) plays.push(play);
      }
    }
    if (root.items.length === 0) problems.add({ pos: src.posOf(root), message: 'the playbook has no plays', hint: 'add a play with hosts: and tasks:' });
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    problems.addAll(err.problems);
  }
  return plays;
}

/**
 * `- import_playbook: other.yml` among the plays: that file's plays in its place, as
 * ansible-core 2.14's PlaybookInclude loads them — the path relative to this playbook, the
 * line's `vars` over each play's own vars, its `tags` added to each play's. Its `when` (which
 * Ansible also puts on fact gathering) is refused.
 */
function importPlaybook(r: Reader, map: YAMLMap, importPair: Pair, opts: LoadOptions, importing: string[]): Play[] {
  const before = r.problems.items.length;
  let vars: Record<string, unknown> = {};
  let tags: string[] = [];
  for (const pair of map.items) {
    const key = keyName(pair);
    if (pair === importPair || key === 'name') continue;
    if (key === 'vars') vars = readVars(r, pair.value) ?? {};
    else if (key === 'tags') tags = readStringList(r, pair.value, 'tags') ?? [];
    else r.problems.add({ pos: r.src.posOf(pair.key), message: `'${key}' cannot be used on import_playbook`, hint: key === 'when' ? "put the condition on the imported plays' tasks" : 'allowed here: name, vars, tags' });
  }
  const fileNode = importPair.value;
  const file = isScalar(fileNode) && typeof fileNode.value === 'string' ? fileNode.value.trim() : undefined;
  if (file === undefined || file === '' || isTemplate(file) || /\s/.test(file)) {
    r.problems.add({
      pos: r.src.posOf(fileNode ?? importPair.key),
      message: `import_playbook needs a playbook file name${file ? ' alone, without templates or parameters' : ''}, not ${describe(fileNode)}`,
      hint: 'imports are read before the run: write the path literally, relative to this playbook, and its variables under vars:',
    });
    return [];
  }
  if (r.problems.items.length > before) return [];
  // Joined, not resolved: positions then name files the way the user named the playbook.
  const path = join(dirname(r.src.file), file);
  if (importing.some((f) => resolve(f) === resolve(path))) {
    r.problems.add({ pos: r.src.posOf(fileNode), message: `import cycle: ${[...importing, path].join(' → ')}`, hint: 'remove one of the import_playbook lines in the cycle' });
    return [];
  }
  return loadPlays(path, opts, r.problems, importing, r.src.posOf(fileNode)).map((play) => ({ ...play, vars: { ...play.vars, ...vars }, tags: [...new Set([...play.tags, ...tags])] }));
}

function loadPlay(r: Reader, node: YAMLMap, opts: LoadOptions): Play | undefined {
  const before = r.problems.items.length;
  const pairs = new Map<string, Pair>();
  for (const pair of node.items) {
    const key = keyName(pair);
    pairs.set(key, pair);
    if ((PLAY_KEYWORDS as readonly string[]).includes(key)) continue;
    const near = closestName(key, PLAY_KEYWORDS);
    r.problems.add({
      pos: r.src.posOf(pair.key),
      message: UNSUPPORTED[key] && key !== 'vars' ? `'${key}' is not supported` : `unknown play keyword '${key}'`,
      hint: UNSUPPORTED[key] && key !== 'vars' ? UNSUPPORTED[key] : near ? `did you mean '${near}'?` : `play keywords: ${PLAY_KEYWORDS.join(', ')}`,
    });
  }
  const value = (key: string) => pairs.get(key)?.value;
  const extraVars = opts.extraVars ?? {};
  const hosts = readHosts(r, pairs.get('hosts'), node, extraVars);
  const free = pairs.has('strategy') && checkStrategy(r, value('strategy'));
  if (pairs.has('any_errors_fatal')) checkAnyErrorsFatal(r, value('any_errors_fatal'));
  if (pairs.has('ignore_unreachable')) {
    r.problems.add({
      pos: r.src.posOf(pairs.get('ignore_unreachable')!.key),
      message: "'ignore_unreachable' is not supported on a play: lvsdr reaches each host and reads its facts as the play starts, and a host it cannot reach there takes no part in the play",
      hint: 'set it on the tasks (or a block of them) that may find the host unreachable',
    });
  }
  const vars = pairs.has('vars') ? readVars(r, value('vars')) : {};
  const modules = opts.modules ?? builtinModules;
  const roles = new PlayRoles(dirname(r.src.file), opts.rolesPath ?? defaultRolesPath(), modules, r.problems);
  const scope = { roles, chain: [] };
  const list = (key: string, isHandler = false) => (pairs.has(key) ? loadTaskList(r, value(key), key, modules, isHandler, [], scope) : []);
  // Ansible's order (Play.compile): pre_tasks, handlers, roles, tasks, handlers, post_tasks, handlers.
  const preTasks = list('pre_tasks');
  const roleTasks = pairs.has('roles') ? roles.playRoles(r, value('roles')) : [];
  const tasks = list('tasks');
  const postTasks = list('post_tasks');
  const handlers = list('handlers', true);
  const { defaults: roleDefaults, vars: roleVars } = roles.playWide();
  const play: Play = {
    name: '',
    hosts: hosts ?? '',
    dir: dirname(resolve(r.src.file)),
    vars: vars ?? {},
    varsFiles: pairs.has('vars_files') ? readVarsFiles(r, value('vars_files'), dirname(r.src.file), { ...(vars ?? {}), ...extraVars }) : [],
    access: readAccessKeywords(r, pairs),
    environment: pairs.has('environment') ? readEnvironment(r, value('environment')) : [],
    gatherFacts: pairs.has('gather_facts') ? (readBool(r, value('gather_facts'), 'gather_facts') ?? true) : true,
    gatherSubset: pairs.has('gather_subset') ? readGatherSubset(r, value('gather_subset')) : [],
    serial: pairs.has('serial') ? (readSerial(r, value('serial'), extraVars) ?? []) : [],
    maxFailPercentage: pairs.has('max_fail_percentage') ? readNumber(r, value('max_fail_percentage'), 'max_fail_percentage', 0, 100) : undefined,
    ...(pairs.has('throttle') ? { throttle: readThrottle(r, value('throttle')) } : {}),
    tags: pairs.has('tags') ? (readStringList(r, value('tags'), 'tags') ?? []) : [],
    tasks: [...preTasks, ...roleTasks, ...tasks, ...postTasks],
    flushAfter: [preTasks.length, preTasks.length + roleTasks.length + tasks.length],
    handlers: [...roles.rolesHandlers, ...leafTasks(handlers), ...roles.importedHandlers],
    roleDefaults,
    roleVars,
    pos: r.src.posOf(node),
    hostsPos: pairs.has('hosts') ? r.src.posOf(value('hosts') ?? pairs.get('hosts')!.key) : undefined,
  };
  if (free) refuseHostLoopBypass(r, play, modules);
  const name = pairs.get('name');
  play.name = name && isScalar(name.value) && name.value.value != null ? String(name.value.value) : play.hosts;
  // A play with problems in its tasks is kept, so its other tasks are still checked; one whose
  // own keywords are wrong is not (its hosts or vars cannot be trusted).
  return r.problems.items.length === before || (hosts !== undefined && vars !== undefined) ? play : undefined;
}

/**
 * `strategy`: lvsdr runs each host's tasks without waiting for the other hosts, as Ansible's
 * `free` strategy does, so `free` is what it does anyway; `linear` (Ansible's default, every host
 * finishing a task before any starts the next) and the other strategies are refused by name.
 */
function checkStrategy(r: Reader, node: unknown): boolean {
  const name = readString(r, node, 'strategy');
  if (name === 'free' || name === 'ansible.builtin.free') return true;
  if (name === undefined) return false;
  const why = name === 'linear' || name === 'ansible.builtin.linear' ? 'lvsdr does not hold hosts in step, task by task' : `lvsdr has no strategy ${JSON.stringify(name)}`;
  r.problems.add({ pos: r.src.posOf(node), message: `strategy ${JSON.stringify(name)} is not supported: ${why}`, hint: "lvsdr runs hosts as Ansible's free strategy does: write strategy: free, or leave it out" });
  return false;
}

/**
 * ansible-core 2.14's free strategy stops the play at a task whose action bypasses the host loop
 * (pause), which it cannot run once for the play's hosts; lvsdr runs such a task once per batch, as
 * the linear strategy does, so it refuses the pair before the run, as Ansible would refuse it there.
 */
function refuseHostLoopBypass(r: Reader, play: Play, modules: ModuleLookup): void {
  for (const task of allTasks([...play.tasks, ...play.handlers])) {
    if (!modules.get(task.module)?.bypassHostLoop) continue;
    r.problems.add({
      pos: task.pos,
      message: `the '${task.module}' module bypasses the host loop, which Ansible's free strategy does not support (ansible-playbook stops the play here)`,
      hint: "leave strategy: free out: lvsdr then runs it once for the batch's hosts, as Ansible's default linear strategy does",
    });
  }
}

/** `hosts:` is a pattern or a list of them (joined with `:`); it may use extra vars. */
function readHosts(r: Reader, pair: Pair | undefined, play: YAMLMap, extraVars: Record<string, unknown>): string | undefined {
  if (!pair) {
    r.problems.add({ pos: r.src.posOf(play), message: "play has no 'hosts'", hint: 'add hosts: all, a group name, or a pattern such as web:&prod' });
    return undefined;
  }
  const list = readStringList(r, pair.value, 'hosts');
  if (!list) return undefined;
  const pattern = list.join(':');
  if (pattern.trim() === '') {
    r.problems.add({ pos: r.src.posOf(pair.value ?? pair.key), message: "'hosts' is empty", hint: 'name hosts, a group, or all' });
    return undefined;
  }
  return renderWithExtraVars(r, pattern, pair.value, extraVars, 'hosts') as string | undefined;
}

function renderWithExtraVars(r: Reader, value: unknown, node: unknown, vars: Record<string, unknown>, key: string): unknown {
  if (!isTemplate(value)) return value;
  try {
    return renderValue(value, vars);
  } catch (err) {
    r.problems.add({ pos: r.src.posOf(node), message: `'${key}': ${(err as Error).message}`, hint: `'${key}' is read before the play runs: only play vars and extra vars (-e) can be used in it` });
    return undefined;
  }
}

/** A `vars:` mapping (of a play, a block or a task), with the access variables lvsdr cannot honour refused. */
export function readVars(r: Reader, node: unknown): Record<string, unknown> | undefined {
  if (node === null || (isScalar(node) && node.value === null)) return {};
  const map = readMap(r, node, "'vars'", 'write name: value pairs');
  if (!map) return undefined;
  const vars = toJS(r, map) as Record<string, unknown>;
  checkAccessVars(r, map, vars);
  return vars;
}

function readVarsFiles(r: Reader, node: unknown, dir: string, known: Record<string, unknown>): Play['varsFiles'] {
  const names = readStringList(r, node, 'vars_files');
  if (!names) return [];
  const items = isSeq(node) ? node.items : [node];
  const out: Play['varsFiles'] = [];
  names.forEach((name, i) => {
    const rendered = renderWithExtraVars(r, name, items[i], known, 'vars_files');
    if (typeof rendered !== 'string') return;
    const file = join(dir, rendered);
    const vars = readVarsFile(r.problems, file, r.src.posOf(items[i]));
    if (vars) out.push({ path: file, vars });
  });
  return out;
}

const PERCENT = /^(\d+(?:\.\d+)?)%$/;

/** `serial`: a batch size, a percentage, or a list of them (the last one repeats). */
function readSerial(r: Reader, node: unknown, extraVars: Record<string, unknown>): (number | string)[] | undefined {
  const items = isSeq(node) ? node.items : [node];
  const out: (number | string)[] = [];
  for (const item of items) {
    const raw = renderWithExtraVars(r, isScalar(item) ? item.value : undefined, item, extraVars, 'serial');
    const v = typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : raw;
    const percent = typeof v === 'string' ? PERCENT.exec(v.trim()) : null;
    if (typeof v === 'number' && Number.isInteger(v) && v >= 1) out.push(v);
    else if (percent && Number(percent[1]) > 0 && Number(percent[1]) <= 100) out.push(v as string);
    else {
      r.problems.add({ pos: r.src.posOf(item), message: `'serial' must be a batch size (a whole number of at least 1), a percentage such as "30%", or a list of them, not ${describe(item)}` });
      return undefined;
    }
  }
  return out;
}
