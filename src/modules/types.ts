/**
 * The module contract (DESIGN.md §1–§3): a module reads state with probes, then plans from that
 * state; it never runs anything itself and never looks at a check-mode flag. The executor runs the
 * probes (batched into one round trip), asks for the plan, and in a real run executes the plan's
 * commands; in check mode it only reports the plan and feeds its effects back into the host's state.
 */
import type { ExecResult } from '../connection/types.ts';
import type { HostFacts } from '../facts/types.ts';
import type { ShellText } from '../shell/quote.ts';
import type { SharedReadName } from './shared-reads.ts';

/** One piece of remote state: a command and a pure parser of its result. */
export interface Probe<T = unknown> {
  /**
   * Where the parsed value lives in the host's state, e.g. `file:/etc/sysctl.d/90-lvs.conf` or
   * `sysctl:net.ipv4.conf.all.arp_ignore`. Two modules that read the same thing use the same key,
   * so a check-mode effect recorded by one is seen by the other.
   */
  key: string;
  command: ShellText;
  /**
   * A read one process can answer for many probes (src/modules/shared-reads.ts); `command` is then
   * that kind's command for `arg` alone, and `parse` reads the kind's result for `arg`.
   */
  shared?: { kind: SharedReadName; arg: string };
  parse(result: ExecResult): T;
}

export interface RemoteCommand {
  command: ShellText;
  /** Sent on standard input: file contents travel this way, never inside the command line. */
  stdin?: string;
  /** A command that waits on purpose (wait_for) may run longer than the task's default timeout. */
  timeoutMs?: number;
  /**
   * The state this command can change: state keys, or `KIND:*` for every key of a kind (a file
   * key reaches further: src/core/executor/state-reach.ts). After it, a real run reads only that
   * again. Left out, it may change anything, and later tasks read everything again.
   */
  touches?: readonly string[];
}

/** A value shown as before → after in --diff (a setting), or a unified diff (a file). */
export type ChangeDiff =
  | { kind: 'file'; path: string; before: string | null; after: string | null }
  | { kind: 'value'; name: string; before: string | null; after: string | null };

export interface Change {
  /** One line a person reads: "net.ipv4.conf.all.arp_ignore 0 → 1". */
  summary: string;
  /** The exact commands a real run executes for this change, in order. */
  commands: RemoteCommand[];
  diff?: ChangeDiff;
  /** State key → the value it holds once this change is applied (fed to later tasks in check mode). */
  effects: Record<string, unknown>;
}

export type Plan =
  /** Nothing to do, and why: "net.ipv4.conf.all.arp_ignore already 1". */
  | { kind: 'noop'; reason: string; result?: Record<string, unknown> }
  | {
      kind: 'change';
      changes: Change[];
      /** Values Ansible's module returns beside `changed` (systemd's `status`), for `register`. */
      result?: Record<string, unknown>;
    }
  /**
   * Commands whose outcome only running them tells (command, shell, wait_for). `changes` says
   * whether a successful run counts as a change; check mode does not run them, and marks the
   * host's state as unknowable from here on when `changes` is true.
   */
  | {
      kind: 'action';
      summary: string;
      commands: RemoteCommand[];
      changes: boolean;
      /** What running it is declared to do (command's `creates`): known, so check mode records it. */
      effects?: Record<string, unknown>;
      /** Values Ansible's module returns (systemd's `status` beside a daemon-reload), for `register`. */
      result?: Record<string, unknown>;
    }
  | { kind: 'fail'; message: string };

/** Read-only view of probed (and, in check mode, would-be) state. */
export interface StateView {
  get<T>(key: string): T;
}

export interface ModuleContext {
  facts: HostFacts;
  /** The host's variables as templates see them (inventory, play, facts, registered results). */
  vars: Record<string, unknown>;
  /** Directory of the playbook: the last place a relative `src` is looked for (controller-file.ts). */
  playbookDir: string;
  /** Where a relative `src` is looked for first: the task's role and the roles depending on it, then the task's file's directory. */
  searchDirs: string[];
  /** Renders a template text with the host's variables (the template module). */
  renderTemplate(text: string, sourceName: string): string;
}

export interface ModuleDef<A = any> {
  name: string;
  /** One line, listed when a playbook names an unknown module. */
  summary: string;
  /** JSON Schema for the module's arguments, checked by ajv after templating. */
  schema: object;
  /**
   * For the modules Ansible lets take free-form text (command, shell): the arguments that text
   * becomes (`command: ls -l`), beside the `key=value` options pulled out of it (free-form.ts).
   */
  freeForm?: (text: string) => Record<string, unknown>;
  /** Arguments that hold bare Jinja2 conditions, read like `when` (assert's `that`). */
  conditionArgs?: string[];
  /**
   * What the schema cannot say (a value that contradicts another), on arguments the schema
   * accepted: each at a JSON pointer into the arguments, so validation can give its file:line:col.
   */
  argProblems?: (args: A) => { path: string; message: string }[];
  /**
   * A module that installs or removes software (the package modules): after it changes a host in a
   * real run, the executor reads the host's tools again (HostFacts.tools), so later tasks of the
   * play find the binaries it installed. The facts under Ansible's names stay as gathered.
   */
  changesTools?: boolean;
  /**
   * The `ansible_facts` of the module's result become the host's variables, at the level of
   * registered results and for the rest of the run (set_fact), as Ansible's executor does with a
   * result's ansible_facts.
   */
  setsFacts?: boolean;
  /**
   * Ansible's module does not support check mode (AnsibleModule without supports_check_mode): in
   * check mode the task is skipped with Ansible's message instead of planned.
   */
  noCheckMode?: boolean;
  probes(args: A, ctx: ModuleContext): Probe[];
  plan(args: A, state: StateView, ctx: ModuleContext): Plan;
}
