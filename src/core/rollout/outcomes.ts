/**
 * What a rollout's steps found, and what the rollout knows after them. The state is folded from
 * the outcomes, one step at a time; the report is read from the last state. Pure.
 */
import type { StepRequest } from './sequence.ts';

/** A host a step leaves out of the director, with the step and why. */
export interface LeftOut {
  host: string;
  step: string;
  reason: string;
}

export interface StepOutcome {
  /** Hosts that go on to the next step. */
  passed: string[];
  leftOut: LeftOut[];
  /** Why the rollout cannot go on as planned; the sequence decides what that ends. */
  stop?: string;
  /** Real servers no director names now (read before the first batch). */
  notInService?: string[];
}

export interface RolloutState {
  /** Hosts the director's configuration may not name yet: the new ones until a batch admits them,
   * and any other real server of the inventory that no director names now. */
  pending: string[];
  /** Hosts left out of the director, with `step: reason`. */
  failed: Record<string, string>;
  added: string[];
  removed: string[];
}

export interface RolloutReport {
  check: boolean;
  added: string[];
  removed: string[];
  /** Hosts left out of the director, with the step and reason. */
  failed: Record<string, string>;
  /** Why the rollout stopped before its end. */
  stopped?: string;
}

export function startState(add: string[]): RolloutState {
  return { pending: [...new Set(add)], failed: {}, added: [], removed: [] };
}

type DirectorRequest = Extract<StepRequest, { step: 'director' }>;

/** The hosts a director run keeps out of the configuration it writes. */
export function directorExclude(state: RolloutState, request: DirectorRequest): string[] {
  const admit = new Set(request.admit ?? []);
  return [...new Set([...state.pending.filter((h) => !admit.has(h)), ...Object.keys(state.failed), ...(request.leaveOut ?? [])])];
}

export function afterStep(state: RolloutState, request: StepRequest, outcome: StepOutcome): RolloutState {
  const director = request.step === 'director' ? request : undefined;
  const admitted = new Set(director?.admit ?? []);
  const failed = { ...state.failed };
  for (const l of outcome.leftOut) failed[l.host] = `${l.step}: ${l.reason}`;
  // A director run that failed made nothing: the hosts it names are neither added nor removed.
  const made = outcome.stop === undefined ? director : undefined;
  return {
    pending: [...new Set([...state.pending, ...(outcome.notInService ?? [])])].filter((h) => !admitted.has(h)),
    failed,
    added: made?.makes === 'added' ? [...state.added, ...made.hosts] : state.added,
    removed: made?.makes === 'removed' ? [...state.removed, ...made.hosts] : state.removed,
  };
}

export function reportOf(check: boolean, state: RolloutState, stopped: string | undefined): RolloutReport {
  return { check, added: state.added, removed: state.removed, failed: state.failed, ...(stopped !== undefined ? { stopped } : {}) };
}
