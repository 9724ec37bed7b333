/**
 * A fact family (DESIGN.md §0, §3): one typed value per parameter (a sysctl's value by its name, a
 * file by its path), with the command that reads it, the pure parser of that command's result, how
 * it is read together with others of its kind, and which written files can change it. A module
 * asks for facts while it plans (`state.fact(sysctlFact, name)`, as pyinfra's operations call
 * `host.get_fact(File, path=…)`), so each decision is written once; the executor reads every fact
 * a plan asks for in one exec (core/executor/plan-on-facts.ts) and, for a play, ahead of its
 * first task (probe-prefetch.ts).
 */
import type { ExecResult } from '../connection/types.ts';
import type { ShellText } from '../shell/quote.ts';

/**
 * A read one process answers for many facts of a kind (issue 6: on a host, each process a read
 * starts costs 10–40 ms of CPU, systemctl the most).
 */
export interface BatchedRead {
  /** One command that reads every argument. */
  command(args: readonly string[]): ShellText;
  /** The combined command's result, as one result per argument. */
  split(result: ExecResult, args: readonly string[]): ExecResult[];
}

/** Every argument's result when the combined output is cut short: its error, or no answer at all. */
export const unanswered = (result: ExecResult, args: readonly string[]): ExecResult[] =>
  args.map(() => ({ ...result, code: result.code === 0 ? null : result.code }));

/**
 * Whether writing the file `written` can change a fact that was read as `value`. Left out: any
 * written file may (the safe answer for state nobody said anything about).
 */
export type ChangedByWriting<T> = (written: string, value: T) => boolean;

/** For facts no file holds (kernel and process state): writing a file leaves them as they are. */
export const READ_FROM_NO_FILE = (): ChangedByWriting<unknown> => () => false;

export interface Fact<P, T> {
  /** The first part of its state keys (`sysctl`, `file`): `KIND:*` in a command's touches reaches every one. */
  kind: string;
  /** The rest of its state key; two reads with one key are one fact, and check-mode effects go by key. */
  id(param: P): string;
  /** Its own command, or its argument of a read it shares with the others of its kind. */
  read: { command(param: P): ShellText } | { batch: BatchedRead; arg(param: P): string };
  parse(result: ExecResult, param: P): T;
  /**
   * What a plan is handed while the fact is not read yet. Such a plan is never used: it only says
   * which facts the plan reads, so they are all read in one exec and the plan is made again. A plan
   * that ends on such a value (a `fail`) names only the facts it asked for before: so a module asks
   * for every fact it needs before its first decision that can end the plan.
   */
  unread: T;
  changedByWriting?(param: P): ChangedByWriting<T>;
}

/**
 * One read of one fact (or of a module's own state, for modules that still declare their reads up
 * front): a command and a pure parser of its result.
 */
export interface Probe<T = unknown> {
  /** Where the parsed value lives in the host's state, e.g. `file:/etc/sysctl.d/90-lvs.conf`. */
  key: string;
  command: ShellText;
  /** A read one process answers for many probes, and the parser of this probe's part of its result. */
  shared?: { batch: BatchedRead; arg: string; parse(part: ExecResult): T };
  /** The parser of `command`'s result. */
  parse(result: ExecResult): T;
  /** Whether writing the file `written` can change what was read as `value` (Fact.changedByWriting). */
  changedByWriting?(written: string, value: T): boolean;
}

export const factKey = <P, T>(fact: Fact<P, T>, param: P): string => `${fact.kind}:${fact.id(param)}`;

/** The read of one fact. */
export function factProbe<P, T>(fact: Fact<P, T>, param: P): Probe<T> {
  const read = fact.read;
  const parse = (r: ExecResult) => fact.parse(r, param);
  const changedByWriting = fact.changedByWriting ? { changedByWriting: fact.changedByWriting(param) } : {};
  if (!('batch' in read)) return { key: factKey(fact, param), command: read.command(param), parse, ...changedByWriting };
  const arg = read.arg(param);
  return {
    key: factKey(fact, param),
    command: read.batch.command([arg]),
    shared: { batch: read.batch, arg, parse },
    parse: (r) => parse(read.batch.split(r, [arg])[0]),
    ...changedByWriting,
  };
}

/** A probe's value from what runProbes returned for it (its part, for a shared read). */
export const parseRead = <T>(probe: Probe<T>, result: ExecResult): T => (probe.shared ? probe.shared.parse(result) : probe.parse(result));

/** A change's effect on a fact (Change.effects): the value it holds once the change is made. */
export const factEffect = <P, T>(fact: Fact<P, T>, param: P, value: T): Record<string, T> => ({ [factKey(fact, param)]: value });
