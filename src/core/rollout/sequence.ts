/**
 * The order of a rollout's steps, and what each outcome ends. A generator: it yields the next step
 * to take, is resumed with that step's outcome, and returns why the rollout stopped (undefined
 * when it ran to its end). It touches no host, so the order is tested without one; steps.ts
 * carries the steps out.
 */
import { serialBatches } from '../executor/batches.ts';
import type { LeftOut, StepOutcome } from './outcomes.ts';
import type { RolloutOptions } from './options.ts';

export type StepRequest =
  /** Which real servers the directors name now. */
  | { step: 'members' }
  | { step: 'configure'; hosts: string[]; batch: number }
  | { step: 'verify'; hosts: string[] }
  /** A step passed over, shown with why. */
  | { step: 'skip'; name: string; hosts: string[]; why: string }
  | {
      step: 'director';
      /** What this run of the director playbook is for, as shown. */
      what: string;
      hosts: string[];
      weights: Record<string, number>;
      /** Hosts the configuration may name from this run on. */
      admit?: string[];
      /** Hosts this run takes out of the configuration. */
      leaveOut?: string[];
      /** What the hosts are once this run succeeds. */
      makes?: 'added' | 'removed';
    }
  /** Until the directors' health checks list the hosts. */
  | { step: 'wait'; hosts: string[] }
  /** Client-side connections to the hosts' VIP ports. */
  | { step: 'probe'; hosts: string[] }
  /** Until the directors show no active connection to the hosts. */
  | { step: 'drain'; hosts: string[] }
  | { step: 'undo'; hosts: string[] }
  /** Records hosts as left out, without touching anything. */
  | { step: 'leave-out'; leftOut: LeftOut[] };

export type SequenceOptions = Pick<RolloutOptions, 'add' | 'remove' | 'batch' | 'maxFailPercentage' | 'undo' | 'check' | 'probeAttempts'> & {
  signal?: AbortSignal;
};

/** Yields steps, is resumed with their outcomes, returns why it stopped. */
type Steps = Generator<StepRequest, string | undefined, StepOutcome>;

const atWeightZero = (hosts: string[]): Record<string, number> => Object.fromEntries(hosts.map((h) => [h, 0]));

export function* rolloutSequence(o: SequenceOptions): Steps {
  const members = yield { step: 'members' };
  if (members.stop) return members.stop;
  for (const [index, batch] of serialBatches(o.add, o.batch).entries()) {
    if (o.signal?.aborted) break;
    const stop = yield* batchSequence(o, batch, index + 1);
    if (stop) return stop;
  }
  return o.remove.length > 0 ? yield* removalSequence(o, o.remove) : undefined;
}

/** configure → verify → add at weight 0 → wait for the health check → probe → raise to weight. */
function* batchSequence(o: SequenceOptions, batch: string[], n: number): Steps {
  let hosts = (yield { step: 'configure', hosts: batch, batch: n }).passed;
  if (o.check) yield { step: 'skip', name: 'verify', hosts, why: 'not in check mode: verification needs the configured hosts' };
  else if (hosts.length > 0) hosts = (yield { step: 'verify', hosts }).passed;
  if (hosts.length > 0) {
    const entered = yield { step: 'director', what: 'add at weight 0', hosts, weights: atWeightZero(hosts), admit: hosts };
    if (entered.stop) return entered.stop;
    if (!o.check) {
      const waited = yield { step: 'wait', hosts };
      // The probe goes to every VIP port of the batch, whether or not the health check passed.
      const probed = o.probeAttempts > 0 ? yield { step: 'probe', hosts } : undefined;
      const stop = probed?.stop ?? waited.stop;
      hosts = waited.passed;
      if (stop) {
        // Nothing more can be trusted about this batch: take it out of the director again. That
        // run failing too changes nothing about why the rollout stops.
        yield { step: 'leave-out', leftOut: hosts.map((host) => ({ host, step: 'wait', reason: stop })) };
        yield { step: 'director', what: 'leave the batch out again', hosts, weights: {} };
        return stop;
      }
    }
    // Hosts the health check left out are excluded from this run, so it also takes them out.
    const raised = yield { step: 'director', what: 'raise to their weights', hosts, weights: {}, makes: 'added' };
    if (raised.stop) return raised.stop;
  }
  const failed = batch.length - hosts.length;
  if ((failed / batch.length) * 100 > o.maxFailPercentage) {
    return `${failed} of ${batch.length} host(s) of batch ${n} failed, more than --max-fail ${o.maxFailPercentage}%`;
  }
  return undefined;
}

/** drain at weight 0 → wait until drained → remove from the director → undo the real-server setup. */
function* removalSequence(o: SequenceOptions, hosts: string[]): Steps {
  const drained = yield { step: 'director', what: 'drain: weight 0, no new connections', hosts, weights: atWeightZero(hosts) };
  if (drained.stop) return drained.stop;
  // A director that cannot be asked while draining is reported, but the removal goes on: the hosts
  // take no new connections already.
  const waited = o.check ? undefined : yield { step: 'drain', hosts };
  const removed = yield { step: 'director', what: 'remove from the director', hosts, weights: {}, leaveOut: hosts, makes: 'removed' };
  if (removed.stop) return removed.stop;
  if (o.undo) yield { step: 'undo', hosts };
  return waited?.stop;
}
