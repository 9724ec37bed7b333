/** What `lvsdr rollout` asks of a rollout: the hosts, the playbooks and how careful to be. */
import type { RunOptions } from '../executor/run-playbook.ts';
import type { Inventory } from '../inventory/types.ts';
import type { Playbook } from '../playbook/types.ts';

export interface RolloutPlaybooks {
  realserver: Playbook;
  verify: Playbook;
  director: Playbook;
}

export interface RolloutOptions {
  inventory: Inventory;
  playbooks: RolloutPlaybooks;
  add: string[];
  remove: string[];
  /** Serial batches of the new hosts (counts or percentages; the last repeats). */
  batch: (number | string)[];
  /** Stop before the next batch when more than this share of a batch failed. */
  maxFailPercentage: number;
  /** After removing hosts from the director, also undo their real-server setup. */
  undo: boolean;
  check: boolean;
  extraVars: Record<string, unknown>;
  healthTimeoutMs: number;
  drainTimeoutMs: number;
  /** Client-side connections per VIP port after each weight-0 step; 0 skips the probe. */
  probeAttempts: number;
  exec: Omit<RunOptions, 'check' | 'limit' | 'tags' | 'skipTags' | 'extraVars'>;
}
