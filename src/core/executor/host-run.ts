/** Everything the executor knows about one host during a run: connection, facts, results so far. */
import type { HostFacts } from '../../facts/types.ts';
import type { HostStats } from '../events.ts';
import type { InventoryHost } from '../inventory/types.ts';
import type { CachedRead } from './fact-reads.ts';
import type { HostConnections } from './host-connections.ts';

export class HostRun {
  readonly name: string;
  readonly inventoryHost: InventoryHost;
  conn?: HostConnections;
  /** Set once the host could not be reached; it then takes no further part in the run. */
  unreachable?: string;
  /** Set when a task failed (not ignored): the host runs no further tasks. */
  failed = false;
  facts?: HostFacts;
  /** Facts are shown to templates only in plays that gather them (Ansible's gather_facts). */
  factsVisible = false;
  registered: Record<string, unknown> = {};
  /** Variables include_vars loaded: below registered results, above task vars (vars.ts). */
  includedVars: Record<string, unknown> = {};
  /** Check mode: state keys → the value earlier planned changes would have given them. */
  readonly overlay = new Map<string, unknown>();
  /** Check mode: the first task whose effect could not be known; later plans may be off. */
  uncertainSince?: string;
  /**
   * Check mode: the first task that would install or remove software (ModuleDef.changesTools).
   * Later tasks plan on the tools the host has now, so a plan that fails there is not a prediction.
   */
  softwareChangedBy?: string;
  /** Check mode: register names whose command did not run → the task that registered them. */
  readonly unknownInCheck = new Map<string, string>();
  /**
   * Facts (by probeId), parsed, that no command has changed since they were read: a task whose
   * facts are all here plans without a round trip of its own. Before a change, what its commands
   * can reach is dropped (state-reach.ts).
   */
  readonly probeCache = new Map<string, CachedRead>();
  /** Whom the probe cache's reads ran as (task-access.ts accessKey): the play's; other tasks read afresh. */
  probeAccess?: string;
  /** The include_tasks lines the host is running the tasks of, outermost first: their loop variables are the tasks' include params. */
  readonly includeFrames: { vars: Record<string, unknown>; loops: boolean }[] = [];
  /** How many blocks around the running task are in their tasks and have a rescue for a failure. */
  rescuing = 0;
  /** Handler names notified in the current batch. */
  readonly notified = new Set<string>();
  readonly stats: HostStats = { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 };

  constructor(inventoryHost: InventoryHost) {
    this.name = inventoryHost.name;
    this.inventoryHost = inventoryHost;
  }

  get active(): boolean {
    return !this.unreachable && !this.failed;
  }

  /**
   * Closes and forgets the connection. What was read over it goes with it: once the host's lock is
   * released another run may change the host, and the next play reads it again anyway. The check
   * mode overlay stays: it is what this run's earlier plans would have done, whatever connection
   * the host is reached over next.
   */
  async dropConnection(): Promise<void> {
    const conn = this.conn;
    this.conn = undefined;
    this.probeCache.clear();
    await conn?.close().catch(() => undefined);
  }

  /**
   * The run has no more work for the host: keep its results (stats) and the variables the run set on
   * it (registered, set_fact, include_vars), which later plays read through hostvars as in Ansible;
   * not what it worked with.
   */
  finish(): void {
    this.facts = undefined;
    this.overlay.clear();
    this.unknownInCheck.clear();
    this.notified.clear();
  }
}
