/**
 * The module contract (DESIGN.md §1–§3): a module plans from the host's facts, asking for each
 * where it decides (`state.fact(…)`, src/facts/); it never runs anything itself and never looks at
 * a check-mode flag. The executor reads the facts a plan asks for (batched into one round trip),
 * plans again on them, and in a real run executes the plan's commands; in check mode it only
 * reports the plan and feeds its effects back into the host's state.
 */
import type { ChangeDiff } from '../core/events.ts';
import type { Fact } from '../facts/fact.ts';
import type { HostFacts } from '../facts/types.ts';
import type { ShellText } from '../shell/quote.ts';

export type { Probe } from '../facts/fact.ts';

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

export interface Change {
  /** One line a person reads: "net.ipv4.conf.all.arp_ignore 0 → 1". */
  summary: string;
  /** The exact commands a real run executes for this change, in order. */
  commands: RemoteCommand[];
  diff?: ChangeDiff;
  /** State key → the value it holds once this change is applied (fed to later tasks in check mode). */
  effects: Record<string, unknown>;
  /** Files a real run writes on the controller after the commands (fetch), base64-encoded. */
  controllerFiles?: { path: string; base64: string }[];
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
   * Commands whose outcome only running them tells (command, shell, wait_for). `countsAsChange`
   * says whether a successful run counts as a change; check mode does not run them, and marks the
   * host's state as unknowable from here on when it is true.
   */
  | {
      kind: 'action';
      summary: string;
      commands: RemoteCommand[];
      countsAsChange: boolean;
      /** What running it is declared to do (command's `creates`): known, so check mode records it. */
      effects?: Record<string, unknown>;
      /** Values Ansible's module returns (systemd's `status` beside a daemon-reload), for `register`. */
      result?: Record<string, unknown>;
    }
  | { kind: 'fail'; message: string };

/** Read-only view of the host's state as read (and, in check mode, as earlier plans would leave it). */
export interface StateView {
  /**
   * A fact, asked for where the decision is made: read in one exec with every other fact the plan
   * asks for, after which the plan is made again (so a plan must not depend on anything but its
   * arguments, its context and its facts).
   */
  fact<P, T>(fact: Fact<P, T>, param: P): T;
}

export interface ModuleContext {
  facts: HostFacts;
  /** The host's variables as templates see them (inventory, play, facts, registered results). */
  vars: Record<string, unknown>;
  /** Directory of the playbook: the last place a relative `src` is looked for (controller-file.ts). */
  playbookDir: string;
  /** Where a relative `src` is looked for first: the task's role and the roles depending on it, then the task's file's directory. */
  searchDirs: string[];
  /** The directory of the file the task is written in. */
  taskDir: string;
  /** The task's role's directory, for a role's task. */
  rolePath?: string;
  /** Renders a template text with the host's variables (the template module). */
  renderTemplate(text: string, sourceName: string): string;
}

/** What a module acting on the controller may use. */
export interface ControllerIO {
  /** The task's name, which Ansible's pause shows above its prompt. */
  taskName: string;
  /** The terminal the run was started on (its stdin and stderr), or undefined without one. */
  terminal?: ControllerTerminal;
  /** Waits, ending early when the run is interrupted. */
  sleep(ms: number): Promise<void>;
  /** The controller's clock, as Ansible's results print it. */
  now(): Date;
}

/** The terminal as a module acting on the controller sees it. */
export interface ControllerTerminal {
  show(text: string): void;
  /**
   * Shows the question and reads what is typed up to Enter, echoed or not; undefined when the run
   * was interrupted instead (Ctrl+C at the prompt interrupts it).
   */
  ask(question: string, echo: boolean): Promise<string | undefined>;
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
   * The `ansible_facts` of the module's result become the host's variables for the rest of the
   * run, as Ansible's strategy does with them: at the level of registered results (set_fact), or
   * at include_vars precedence, just below (include_vars).
   */
  setsVars?: 'set_fact' | 'include_vars';
  /**
   * The variables the task defines for the tasks after it, as far as its arguments as written tell
   * (the static undefined-variable check); undefined when they cannot (a templated file name).
   */
  definesVars?(args: A, where: Pick<ModuleContext, 'searchDirs' | 'playbookDir'>): string[] | undefined;
  /**
   * false for a module Ansible's does not run in check mode (wait_for): ansible-playbook skips
   * such a task in a check run, and so does lvsdr.
   */
  supportsCheckMode?: false;
  /**
   * A module that acts on the controller instead of the host (pause): it runs there, in check mode
   * as in a run, and returns its plan (a noop with its result, or a failure). Nothing is probed.
   */
  onController?(args: A, io: ControllerIO): Promise<Plan>;
  /**
   * Ansible's action for it sets BYPASS_HOST_LOOP (pause): the linear strategy runs the task once,
   * for the first host of the batch, and the others neither run it nor take its result (unless
   * `run_once`, which gives it to them). lvsdr runs it on the first host to reach it; the others
   * wait for it to end (executor/run-task.ts).
   */
  bypassHostLoop?: true;
  plan(args: A, state: StateView, ctx: ModuleContext): Plan;
}
