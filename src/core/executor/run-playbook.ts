/**
 * The executor (DESIGN.md §6): plays in order; within a play, serial batches; within a batch,
 * hosts in parallel (at most `forks` at once), each running the play's tasks in order without
 * waiting for the others (like Ansible's `free` strategy). A host's connection is kept between its
 * plays while at most `forks` hosts hold one (open-connections.ts). It never throws for a host: every
 * host ends with a result, and the run with a recap.
 */
import type { HostLockRequest } from '../../connection/host-lock.ts';
import type { ControllerTerminal } from '../../modules/types.ts';
import { ControllerLimitError, HostLockedError, UnreachableError } from '../../connection/types.ts';
import type { ConnectionKind } from '../access-vars.ts';
import { factSubsets } from '../../facts/gather-subset.ts';
import { factProbe } from '../../facts/fact.ts';
import { addressesOfFacts, hostFactsCommandFor, parseHostFacts } from '../../facts/host-facts.ts';
import { interfacesFact } from '../../facts/interfaces.ts';
import type { EventBus, HostStats } from '../events.ts';
import type { Inventory, InventoryHost } from '../inventory/types.ts';
import { allTasks, type Play, type Playbook, type Task, type TaskNode } from '../playbook/types.ts';
import { notifiedHandlers } from '../playbook/handler-names.ts';
import { buildHostVars } from '../vars.ts';
import { batchAborts, serialBatches } from './batches.ts';
import { HostConnections, type ConnectionFactory } from './host-connections.ts';
import { HostRun } from './host-run.ts';
import { OpenConnections } from './open-connections.ts';
import { runPool } from './pool.ts';
import { probeId } from './probe-batch.ts';
import { cachedRead } from './fact-reads.ts';
import { prefetchProbes } from './probe-prefetch.ts';
import { runTaskNodes } from './run-block.ts';
import { PlayEnds } from './run-meta.ts';
import type { TaskEnv } from './run-task.ts';
import { AccessError, accessKey, resolveAccess, taskEnvironment, type AccessDefaults } from './task-access.ts';
import { delegationOf } from './delegation.ts';
import type { StartAt } from './start-at-task.ts';
import { selectTasks, taskSelected } from './tags.ts';

/** The host's addresses, which the facts' one exec also reads (ip -j addr). */
const INTERFACES_READ = factProbe(interfacesFact, undefined);

export interface RunOptions {
  check: boolean;
  forks: number;
  limit?: string;
  tags: string[];
  skipTags: string[];
  extraVars: Record<string, unknown>;
  /** -b, --become-user, -c and -u: the defaults of the play and task keywords (task-access.ts). */
  become: boolean;
  becomeUser?: string;
  connection?: ConnectionKind;
  remoteUser?: string;
  taskTimeoutMs: number;
  /** The terminal the run was started on, where a pause prompts (left out: there is none). */
  terminal?: ControllerTerminal;
  /** Aborting stops new tasks from starting; tasks in flight finish (or time out). */
  signal?: AbortSignal;
  connectionFor: ConnectionFactory;
  events: EventBus;
  /** The host lock (issue 19): taken for the run, or only looked at in check mode; none when left out. */
  lock?: RunLock;
  /** --start-at-task: the play to start at, and the tasks its first batch leaves out (start-at-task.ts). */
  startAt?: StartAt;
}

/** What every host's lock request of one run shares. */
export type RunLock = Pick<HostLockRequest, 'timeoutSec' | 'runId' | 'holder'>;

export interface RunSummary {
  stats: Record<string, HostStats>;
  interrupted: boolean;
  /** Why a play stopped early (max_fail_percentage, every host of a batch failed). */
  aborted?: string;
  /** The controller ran out of something (file descriptors): no host started after it, none to blame. */
  controllerFault?: string;
}

/**
 * What the plays of one run share: its open connections, and the controller's fault once it has one
 * (hosts at work finish their play; no other host starts).
 */
interface RunState {
  connections: OpenConnections;
  /** The run changes hosts: a real run, or a check run with a task of `check_mode: false`. */
  writes: boolean;
  /** A meta clear_host_errors may let failed and unreachable hosts into later plays. */
  clearsErrors: boolean;
  /** The run's state of a host, a delegate no play has reached included (delegation.ts). */
  stateOf(host: InventoryHost): HostRun;
  /** The run's state of a host, if it has one yet: what hostvars shows beside the inventory. */
  knownState(name: string): HostRun | undefined;
  fault?: ControllerLimitError;
}

export async function runPlaybook(playbook: Playbook, inventory: Inventory, opts: RunOptions): Promise<RunSummary> {
  const started = Date.now();
  const runs = new Map<string, HostRun>();
  const limited = opts.limit ? new Set(inventory.select(opts.limit, undefined, { implicitLocalhost: false })) : undefined;
  let aborted: string | undefined;
  const targets = playbook.plays.map((play) => inventory.select(play.hosts).filter((h) => !limited || limited.has(h)));
  // A host's connection closes once no later play targets it, so its lock is not held while this
  // run waits for another host: two runs each holding a host the other waits for would deadlock.
  const lastPlay = new Map(targets.flatMap((names, index) => names.map((n) => [n, index] as const)));
  // A file an include_tasks reads only when a host reaches it may hold either: assumed to.
  const tasks = playbook.plays.flatMap((p) => allTasks([...p.tasks, ...p.handlers]));
  const writes = !opts.check || tasks.some((t) => t.checkMode === false || t.include?.read);
  const clearsErrors = tasks.some((t) => (t.module === 'meta' && (t.args as { free_form?: string }).free_form === 'clear_host_errors') || t.include?.read);
  // What delegated tasks know of hosts no play has reached yet: a play that does takes it over.
  const delegates = new Map<string, HostRun>();
  const knownState = (name: string): HostRun | undefined => runs.get(name) ?? delegates.get(name);
  const stateOf = (host: InventoryHost): HostRun => {
    let state = knownState(host.name);
    if (!state) delegates.set(host.name, (state = new HostRun(host)));
    return state;
  };
  const run: RunState = { connections: new OpenConnections(opts.forks), writes, clearsErrors, stateOf, knownState };
  try {
    for (const [index, play] of playbook.plays.entries()) {
      if (opts.signal?.aborted || run.fault) break;
      if (opts.startAt && index < opts.startAt.play) continue;
      const names = targets[index];
      const hosts = names.map((n) => {
        if (!runs.has(n)) runs.set(n, delegates.get(n) ?? new HostRun(inventory.hosts.get(n)!));
        delegates.delete(n);
        return runs.get(n)!;
      });
      opts.events.emit({ type: 'play:start', play: play.name, hosts: names, check: opts.check });
      const skipped = index === opts.startAt?.play ? opts.startAt.skipped : undefined;
      aborted = await runPlay(play, hosts, inventory, opts, run, (host) => lastPlay.get(host.name) === index, skipped);
      if (aborted) {
        opts.events.emit({ type: 'play:aborted', play: play.name, reason: aborted });
        break;
      }
    }
  } finally {
    await run.connections.closeAll();
  }
  const stats = Object.fromEntries([...runs.values()].map((h) => [h.name, h.stats]));
  opts.events.emit({ type: 'recap', stats, durationMs: Date.now() - started, check: opts.check });
  const fault = run.fault ? { controllerFault: run.fault.message } : {};
  return { stats, interrupted: Boolean(opts.signal?.aborted), ...(aborted ? { aborted } : {}), ...fault };
}

async function runPlay(
  play: Play,
  hosts: HostRun[],
  inventory: Inventory,
  opts: RunOptions,
  run: RunState,
  doneAfter: (host: HostRun) => boolean,
  firstBatchSkips?: Set<Task>,
): Promise<string | undefined> {
  const ends = new PlayEnds();
  const cli: AccessDefaults = { become: opts.become, becomeUser: opts.becomeUser, connection: opts.connection, remoteUser: opts.remoteUser };
  const env: TaskEnv = {
    check: opts.check,
    accessFor: (task, vars) => {
      const levels = task ? [task.access, play.access] : [play.access];
      const access = resolveAccess(levels, cli, vars);
      const environment = taskEnvironment([...play.environment, ...(task?.environment ?? [])], vars);
      return environment ? { ...access, environment } : access;
    },
    delegationFor: (task, host, vars) => {
      return delegationOf({ inventory, play, extraVars: opts.extraVars, check: opts.check, cli, stateOf: run.stateOf }, task, host, vars);
    },
    taskTimeoutMs: opts.taskTimeoutMs,
    ...(opts.terminal ? { terminal: opts.terminal } : {}),
    signal: opts.signal,
    playbookDir: play.dir,
    events: opts.events,
    runOnce: new Map(),
    throttles: new Map(),
    ...(play.throttle ? { playThrottle: play.throttle } : {}),
    ends,
    playHosts: hosts,
    play,
    selects: (t) => taskSelected([...play.tags, ...t.tags], opts.tags, opts.skipTags),
    flushHandlers: (host) => runHandlers(play, host, batchEnv, opts),
    varsFor: (host, task, extra) => ({
      ...buildHostVars({
        task: task && includeFramed(task, host),
        inventory,
        host: host.inventoryHost,
        play,
        extraVars: opts.extraVars,
        facts: host.factsVisible ? host.facts : undefined,
        registered: host.registered,
        includedVars: host.includedVars,
        checkMode: task?.checkMode ?? opts.check,
        playbookDir: play.dir,
        setVars: run.knownState,
      }),
      ...extra,
    }),
  };
  const batches = serialBatches(hosts, play.serial);
  // run_once: once per batch, as in Ansible; meta end_batch: the batch's end.
  let batchEnv = env;
  for (const [index, batch] of batches.entries()) {
    if (ends.play) break;
    // Like Ansible, a host that failed or could not be reached takes no part in later plays.
    const live = batch.filter((h) => h.active);
    if (batches.length > 1) {
      opts.events.emit({ type: 'batch:start', play: play.name, hosts: batch.map((h) => h.name), index: index + 1, count: batches.length });
    }
    batchEnv = { ...env, runOnce: new Map(), throttles: new Map() };
    const skips = index === 0 ? firstBatchSkips : undefined;
    const sections = flushSections(play, (t) => env.selects(t) && !skips?.has(t));
    await runPool(live, opts.forks, async (host) => {
      // After the controller's fault, hosts not yet started fail with it, so nothing reads them as
      // done (a rollout); after Ctrl-C they are not contacted at all.
      if (run.fault) failHost(host, run.fault.message, opts);
      else if (!opts.signal?.aborted && (await prepareHost(host, play, env, opts, run))) {
        // With the tasks of statically named includes: those whose arguments render without the include's loop variable read their facts here too.
        await prefetchProbes(allTasks(sections.flat()), host, batchEnv);
        for (const section of sections) {
          await runTaskNodes(section, host, batchEnv, opts.signal);
          await runHandlers(play, host, batchEnv, opts);
        }
      }
      const more = host.active && !doneAfter(host);
      await run.connections.release(host, more);
      // A failed host keeps its variables while a meta clear_host_errors may bring it back.
      if (!more && (doneAfter(host) || !run.clearsErrors)) host.finish();
    });
    if (opts.signal?.aborted) return undefined;
    const failed = batch.filter((h) => h.failed || h.unreachable).length;
    const reason = batchAborts(failed, batch.length, play.maxFailPercentage);
    if (reason) return reason;
  }
  return undefined;
}

/** The task with the loop variables of the include_tasks lines the host is in added to its include params. */
function includeFramed(task: Task, host: HostRun): Task {
  if (host.includeFrames.length === 0) return task;
  return { ...task, includeParams: Object.assign({ ...task.includeParams }, ...host.includeFrames.map((f) => f.vars)) };
}

/** The play's top-level entries cut where notified handlers run (Play.flushAfter), each part as the tags select it. */
function flushSections(play: Play, selected: (task: Task) => boolean): TaskNode[][] {
  const cuts = [0, ...play.flushAfter, play.tasks.length];
  return cuts.slice(1).map((end, i) => selectTasks(play.tasks.slice(cuts[i], end), selected));
}

/** Handlers run once per notifying host, in the order they are defined, where the play flushes them. */
async function runHandlers(play: Play, host: HostRun, env: TaskEnv, opts: RunOptions): Promise<void> {
  const notified = [...host.notified];
  host.notified.clear();
  // A flush_handlers in an included file runs them outside the include: they see none of its loop variables.
  const frames = host.includeFrames.splice(0);
  try {
    await runTaskNodes(notifiedHandlers(play.handlers, notified), host, env, opts.signal);
  } finally {
    host.includeFrames.push(...frames);
  }
}

/**
 * Connects (once per way of reaching the host, unless its connections were kept from an earlier
 * play) and gathers facts (once per play); false when the host is unreachable.
 */
async function prepareHost(host: HostRun, play: Play, env: TaskEnv, opts: RunOptions, run: RunState): Promise<boolean> {
  try {
    const lock = opts.lock;
    const options = (name: string) => (lock ? { lock: lockRequest(name, lock, opts, run.writes) } : {});
    const conns = await run.connections.open(host, () => new HostConnections(host.inventoryHost, opts.connectionFor, options));
    // How the play reaches the host: its facts are read that way. A bad value fails the host.
    const access = env.accessFor(undefined, env.varsFor(host));
    const conn = await conns.via(access);
    const subsets = factSubsets(play.gatherSubset);
    // As Ansible's fact gathering, in the play's environment.
    const r = await conn.exec(hostFactsCommandFor(subsets).text, { timeoutMs: opts.taskTimeoutMs, ...(access.environment ? { environment: access.environment } : {}) });
    host.facts = parseHostFacts(r, subsets);
    host.probeCache.clear();
    host.probeAccess = accessKey(access);
    const addresses = addressesOfFacts(r);
    if (addresses) host.probeCache.set(probeId(INTERFACES_READ), cachedRead(INTERFACES_READ, addresses));
    host.factsVisible = play.gatherFacts;
    return true;
  } catch (err) {
    if (err instanceof ControllerLimitError) run.fault ??= err;
    if (err instanceof ControllerLimitError || err instanceof HostLockedError || err instanceof AccessError) {
      failHost(host, err.message, opts);
      return false;
    }
    const msg = err instanceof UnreachableError ? err.message : `cannot reach host: ${(err as Error).message}`;
    host.unreachable = msg;
    host.stats.unreachable++;
    opts.events.emit({ type: 'host:unreachable', host: host.name, msg });
    return false;
  }
}

function failHost(host: HostRun, msg: string, opts: RunOptions): void {
  host.failed = true;
  host.stats.failed++;
  opts.events.emit({ type: 'host:failed', host: host.name, msg });
}

/** A run that writes takes the lock; a check only looks, so it neither blocks a run nor waits for one. */
function lockRequest(host: string, lock: RunLock, opts: RunOptions, writes: boolean): HostLockRequest {
  return {
    ...lock,
    mode: writes ? 'take' : 'peek',
    onWait: (holder) => opts.events.emit({ type: 'host:lock', host, state: 'waiting', holder }),
    onHeld: (holder) => opts.events.emit({ type: 'host:lock', host, state: 'held', holder }),
  };
}
