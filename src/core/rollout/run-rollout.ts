/**
 * Growing (and shrinking) a live cluster without dropping a request. For each batch of new real
 * servers: configure them, verify them on the host, put them behind the director at weight 0, wait
 * until the director's health check and a client-side probe pass, then raise them to their weight.
 * A host that fails a step never reaches the director's configuration. Removal drains first.
 *
 * sequence.ts says which step comes next, steps.ts takes it, outcomes.ts folds what it found into
 * the state the next step sees and the report reads.
 */
import { lockDirectors } from './director-lock.ts';
import type { RolloutOptions } from './options.ts';
import { afterStep, reportOf, startState, type RolloutReport } from './outcomes.ts';
import { rolloutSequence } from './sequence.ts';
import { takeStep } from './steps.ts';

export async function runRollout(o: RolloutOptions): Promise<RolloutReport> {
  let state = startState(o.add);
  // The directors stay locked from the first step to the last, so two rollouts never interleave
  // their keepalived.conf edits.
  const directors = await lockDirectors(o);
  try {
    if (directors.failed) return reportOf(o.check, state, directors.failed);
    const sequence = rolloutSequence({ ...o, signal: o.exec.signal });
    let next = sequence.next();
    while (!next.done) {
      const request = next.value;
      const outcome = await takeStep(o, state, request);
      for (const left of outcome.leftOut) o.exec.events.emit({ type: 'rollout:host-failed', ...left });
      state = afterStep(state, request, outcome);
      next = sequence.next(outcome);
    }
    return reportOf(o.check, state, next.value);
  } finally {
    await directors.release();
  }
}
