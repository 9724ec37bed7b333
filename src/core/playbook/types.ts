/** A playbook as loaded and validated: every node keeps the source position it came from. */
import { dirname } from 'node:path';
import type { ConnectionKind } from '../access-vars.ts';
import type { Problem, SourcePos } from '../errors.ts';
import type { Inherited } from './load-block.ts';

/** The privilege and connection keywords as written on one level (play, import line, task); unset ones inherit. */
export interface AccessKeywords {
  connection?: ConnectionKind;
  /** May be a template, rendered with the host's variables. */
  remoteUser?: string;
  become?: boolean;
  /** May be a template, rendered with the host's variables. */
  becomeUser?: string;
}

export interface Task {
  /** The task's `name`, or `<module> <short args>` when it has none. */
  name: string;
  module: string;
  /** Raw arguments, templates not yet rendered (they see per-host variables at run time). */
  args: unknown;
  /** Conditions (Jinja2 expressions without braces), all of which must hold. */
  when: string[];
  notify: string[];
  /** Handler topics this handler also answers to (`listen`). */
  listen: string[];
  tags: string[];
  register?: string;
  /**
   * `loop` (a list, or a template that renders to one) or a `with_<lookup>`'s terms as written;
   * each element of the expanded list is the loop variable in one run of the task.
   */
  loop?: unknown;
  /** The lookup of `with_<lookup>` (loop-items.ts expands its terms); unset for `loop`. */
  loopWith?: LoopLookup;
  loopControl?: LoopControl;
  /** Block and task `vars`, the task's own on top: above play vars, below registered results. */
  vars: Record<string, unknown>;
  /** `until` conditions, with how many retries (Ansible's default 3) and the seconds between them (default 5). */
  until?: { conditions: string[]; retries?: number; delay: number };
  changedWhen?: string[];
  failedWhen?: string[];
  ignoreErrors: boolean;
  /** An unreachable host is counted ok and ignored, and runs the next task (Ansible's ignore_unreachable). */
  ignoreUnreachable?: boolean;
  noLog: boolean;
  /** Runs on the first host of the batch to reach it; the others take its result (Ansible's run_once). */
  runOnce?: boolean;
  /** The `check_mode` keyword: this task is only planned (true) or runs for real (false), whatever --check says. */
  checkMode?: boolean;
  /** The `diff` keyword: this task's diffs are shown (true) or hidden (false) whatever --diff says. */
  diff?: boolean;
  /** Its own keywords and, for an imported task, the import line's beneath them. */
  access: AccessKeywords;
  /** The host the task runs on in its host's stead, as written (a template is rendered per item: executor/delegation.ts). */
  delegateTo?: string;
  /** `delegate_facts`: what set_fact and include_vars set goes to the delegate, not the task's host. */
  delegateFacts?: boolean;
  /** `environment` of its blocks, import lines and its own, outermost first, as written (playbook/environment-keyword.ts). */
  environment: unknown[];
  /** Seconds before a remote command of this task is killed. */
  timeout?: number;
  /** At most this many hosts run the task at once (Ansible's throttle; the play's when unset). */
  throttle?: number;
  pos: SourcePos;
  /** Where the module key's value starts, for argument errors. */
  argsPos: SourcePos;
  /** Positions of argument paths (`/dest`, `/rules/0/chain`) for schema errors found at run time. */
  argPositions: Map<string, SourcePos>;
  /** Where each keyword's value starts (`when`, `loop`, `notify`, `name`...), for reference errors. */
  keywordPos?: Map<string, SourcePos>;
  /** The role this task came from (`roles:`, `import_role`, a dependency), with the variables it sees. */
  role?: RoleScope;
  /** The `vars` of the import_role line that brought the task in, and of the include_tasks lines around it (Ansible's include params). */
  includeParams?: Record<string, unknown>;
  /** Set on an `include_tasks` line (module `include_tasks`): what it reads when a host reaches it. */
  include?: TaskInclude;
}

/**
 * `include_tasks`, as ansible-core 2.14 includes: a host that reaches the line evaluates its own
 * `when` (per loop item), renders the file name, and runs the file's tasks. The line's `when`,
 * `tags` and `register` are its own; its `vars` (and loop variables) are the included tasks'
 * include params; `apply` and the blocks, imports and roles around the line reach the tasks.
 */
export interface TaskInclude {
  /** The file name as written; a template is rendered with the host's variables. */
  file: string;
  filePos: SourcePos;
  /** The line's own `vars`: the included tasks' include params (with the loop variables, at run time). */
  vars: Record<string, unknown>;
  /** A file named without templates, read and checked with the playbook, and where it was found. */
  tasks?: TaskNode[];
  path?: string;
  /** A templated name's file, read when a host reaches the line (and kept per path): its tasks, or why it cannot run. */
  read?: (file: string) => { tasks: TaskNode[]; path: string } | { problems: Problem[] };
  /** `apply`: keywords handed to each included task, as a block around them would. */
  apply?: Inherited;
  /** The keywords of the blocks, import lines and roles around the line, innermost first (load-block.ts inheritKeywords). */
  inherited: Inherited[];
}

/**
 * One role as its tasks see it, along the dependency chain that reached it (Ansible's
 * Role.get_default_vars / get_vars / get_role_params with the task's dep chain), computed at load.
 */
export interface RoleScope {
  name: string;
  /** The role's directory, absolute (`role_path`). */
  path: string;
  /** Directories searched for a template's or copy's `src` before the task's own: this role's, then the roles that depend on it. */
  searchDirs: string[];
  /** defaults/main of its dependencies, the chain's roles and its own: the lowest precedence. */
  defaults: Record<string, unknown>;
  /** The role entries' `vars` and vars/main along the chain: above play vars and vars_files. */
  vars: Record<string, unknown>;
  /** Role parameters (keys of a role entry that are not keywords): above registered results. */
  params: Record<string, unknown>;
}

/** The lookups lvsdr takes as `with_<lookup>`, with their Ansible meaning (executor/loop-items.ts). */
export const LOOP_LOOKUPS = ['items', 'list', 'dict', 'together', 'sequence', 'subelements', 'fileglob'] as const;
export type LoopLookup = (typeof LOOP_LOOKUPS)[number];

export interface LoopControl {
  /** The loop variable's name (`item` unless `loop_var` says otherwise). */
  loopVar: string;
  indexVar?: string;
  /** A template shown in place of the item. */
  label?: string;
  /** Seconds to wait between items. */
  pause?: number;
  /** `ansible_loop` (index, first, last, length, ...) for each item. */
  extended: boolean;
  /** `extended_allitems: false` leaves `ansible_loop.allitems` out. */
  allItems?: false;
}

/**
 * `block` with its `rescue` and `always`. Its keywords (when, tags, vars, become, ignore_errors, ...)
 * were applied to every task under it at load, as Ansible's tasks inherit them from their block.
 */
export interface Block {
  kind: 'block';
  name?: string;
  block: TaskNode[];
  rescue: TaskNode[];
  always: TaskNode[];
  pos: SourcePos;
}

export type TaskNode = Task | Block;

export function isBlock(node: TaskNode): node is Block {
  return (node as Block).kind === 'block';
}

/** Where a task's relative controller files are looked for before the playbook's directory: its role's (and the roles depending on it), then its own file's directory. */
export function taskSearchDirs(task: Pick<Task, 'role' | 'pos'>): string[] {
  return [...(task.role?.searchDirs ?? []), dirname(task.pos.file)];
}

/** Every task under `nodes`, in file order (a block's tasks, then its rescue, then its always); an include_tasks line is one task. */
export function leafTasks(nodes: readonly TaskNode[]): Task[] {
  return nodes.flatMap((n) => (isBlock(n) ? [...leafTasks(n.block), ...leafTasks(n.rescue), ...leafTasks(n.always)] : [n]));
}

/** leafTasks, with the tasks of each include_tasks read with the playbook after its line: every task loading made. */
export function allTasks(nodes: readonly TaskNode[]): Task[] {
  return leafTasks(nodes).flatMap((t) => [t, ...allTasks(t.include?.tasks ?? [])]);
}

export interface Play {
  name: string;
  hosts: string;
  /** The directory of the playbook file the play is written in (an imported playbook's own): `playbook_dir`, and where roles and files are looked for. */
  dir: string;
  vars: Record<string, unknown>;
  /** vars_files already read, in order, each with the file it came from. */
  varsFiles: { path: string; vars: Record<string, unknown> }[];
  access: AccessKeywords;
  /** The play's `environment` as written ([] or one entry): beneath every task's, and for gathering facts. */
  environment: unknown[];
  gatherFacts: boolean;
  /** `gather_subset` entries as written (src/facts/gather-subset.ts); empty: Ansible's default, all. */
  gatherSubset: string[];
  /** Batch sizes: numbers or percentages ("30%"); the last repeats. Empty means all hosts at once. */
  serial: (number | string)[];
  maxFailPercentage?: number;
  /** The play's `throttle`: what a task without its own (or its block's) takes. */
  throttle?: number;
  tags: string[];
  /** pre_tasks, the roles' tasks, tasks, post_tasks (tasks and blocks): in the order they run. */
  tasks: TaskNode[];
  /** Indexes into `tasks` (top-level entries) after which notified handlers run: after pre_tasks, and after the roles and tasks (and at the end). */
  flushAfter: number[];
  /** Roles' handlers (dependencies first), the play's, then those of roles imported by import_role. */
  handlers: Task[];
  /** Every role the play loads statically, merged in order: what every task of the play sees (Ansible's play-wide role defaults and vars). */
  roleDefaults: Record<string, unknown>;
  roleVars: Record<string, unknown>;
  pos: SourcePos;
  /** Where the `hosts` value starts, for pattern errors. */
  hostsPos?: SourcePos;
}

export interface Playbook {
  path: string;
  dir: string;
  plays: Play[];
}
