/**
 * The order of a rollout's steps and what each outcome ends, driven with scripted outcomes through
 * the same fold runRollout uses; the steps themselves run against real hosts in test/lab/rollout.
 */
import { describe, expect, it } from 'vitest';
import { afterStep, directorExclude, reportOf, startState, type RolloutReport, type StepOutcome } from '../../src/core/rollout/outcomes.ts';
import { rolloutSequence, type SequenceOptions, type StepRequest } from '../../src/core/rollout/sequence.ts';

const OPTIONS: SequenceOptions = { add: [], remove: [], batch: [1], maxFailPercentage: 0, undo: false, check: false, probeAttempts: 3 };

/** A step as a line: `director add at weight 0 [rs3] exclude=rs4`, `leave-out rs3 (wait: why)`. */
function line(request: StepRequest, exclude: string[]): string {
  switch (request.step) {
    case 'director':
      return `director ${request.what} [${request.hosts}] exclude=${exclude}`;
    case 'skip':
      return `skip ${request.name} [${request.hosts}]`;
    case 'leave-out':
      return `leave-out ${request.leftOut.map((l) => `${l.host} (${l.step}: ${l.reason})`)}`;
    case 'members':
      return 'members';
    default:
      return `${request.step} [${request.hosts}]`;
  }
}

/**
 * Runs the sequence to its end. Every step passes all its hosts unless `answer` says otherwise;
 * the directors name nothing but what `inService` leaves out of `realservers`.
 */
function replay(
  options: Partial<SequenceOptions>,
  answer: (request: StepRequest) => Partial<StepOutcome> = () => ({}),
  notInService: string[] = [],
): { steps: string[]; report: RolloutReport } {
  const o = { ...OPTIONS, ...options };
  const sequence = rolloutSequence(o);
  let state = startState(o.add);
  const steps: string[] = [];
  let next = sequence.next();
  for (let i = 0; !next.done; i++) {
    if (i > 100) throw new Error('the sequence does not end');
    const request = next.value;
    steps.push(line(request, request.step === 'director' ? directorExclude(state, request) : []));
    const hosts = 'hosts' in request ? request.hosts : [];
    const outcome: StepOutcome = {
      passed: hosts,
      leftOut: request.step === 'leave-out' ? request.leftOut : [],
      ...(request.step === 'members' ? { notInService } : {}),
      ...answer(request),
    };
    state = afterStep(state, request, outcome);
    next = sequence.next(outcome);
  }
  return { steps, report: reportOf(o.check, state, next.value) };
}

const leftOut = (host: string, step: string, reason: string) => ({ host, step, reason });
/** Fails `host` at `step`, passing the others. */
const failing = (step: string, host: string, reason: string) => (r: StepRequest): Partial<StepOutcome> =>
  r.step === step && 'hosts' in r && r.hosts.includes(host) ? { passed: r.hosts.filter((h) => h !== host), leftOut: [leftOut(host, step, reason)] } : {};

describe('a rollout adding hosts', () => {
  it('takes each batch through configure, verify, weight 0, health check, probe and raise', () => {
    const { steps, report } = replay({ add: ['rs3', 'rs4'] }, () => ({}), ['rs5']);
    expect(steps).toEqual([
      'members',
      'configure [rs3]',
      'verify [rs3]',
      'director add at weight 0 [rs3] exclude=rs4,rs5',
      'wait [rs3]',
      'probe [rs3]',
      'director raise to their weights [rs3] exclude=rs4,rs5',
      'configure [rs4]',
      'verify [rs4]',
      'director add at weight 0 [rs4] exclude=rs5',
      'wait [rs4]',
      'probe [rs4]',
      'director raise to their weights [rs4] exclude=rs5',
    ]);
    expect(report).toEqual({ check: false, added: ['rs3', 'rs4'], removed: [], failed: {} });
  });

  it('in check mode says verification is passed over and neither waits nor probes', () => {
    expect(replay({ add: ['rs3'], check: true }).steps).toEqual([
      'members',
      'configure [rs3]',
      'skip verify [rs3]',
      'director add at weight 0 [rs3] exclude=',
      'director raise to their weights [rs3] exclude=',
    ]);
  });

  it('does not probe with --probe 0', () => {
    expect(replay({ add: ['rs3'], probeAttempts: 0 }).steps).not.toContain('probe [rs3]');
  });

  it('never touches the director for a batch none of which passed verification, and stops over --max-fail', () => {
    const { steps, report } = replay({ add: ['rs3', 'rs4'] }, failing('verify', 'rs3', 'no service listens on a VIP port'));
    expect(steps).toEqual(['members', 'configure [rs3]', 'verify [rs3]']);
    expect(report).toEqual({
      check: false,
      added: [],
      removed: [],
      failed: { rs3: 'verify: no service listens on a VIP port' },
      stopped: '1 of 1 host(s) of batch 1 failed, more than --max-fail 0%',
    });
    expect(replay({ add: ['rs3', 'rs4'], maxFailPercentage: 100 }, failing('verify', 'rs3', 'x')).report.added).toEqual(['rs4']);
  });

  it('takes a host the health check left out of the director again when raising the others', () => {
    const { steps, report } = replay({ add: ['rs3', 'rs4'], batch: [2], maxFailPercentage: 50 }, failing('wait', 'rs3', 'not listed'));
    expect(steps.slice(-3)).toEqual(['wait [rs3,rs4]', 'probe [rs3,rs4]', 'director raise to their weights [rs4] exclude=rs3']);
    expect(report).toEqual({ check: false, added: ['rs4'], removed: [], failed: { rs3: 'wait: not listed' } });
  });

  it('takes the whole batch out again when a director cannot be watched, and stops for that reason', () => {
    const { steps, report } = replay({ add: ['rs3', 'rs4'], remove: ['rs1'] }, (r) => {
      if (r.step === 'wait') return { stop: 'director: ipvsadm -Ln failed' };
      // The take-out run failing as well does not change why the rollout stopped.
      if (r.step === 'director' && r.what === 'leave the batch out again') return { passed: [], stop: 'the director configuration failed' };
      return {};
    });
    expect(steps.slice(3)).toEqual([
      'director add at weight 0 [rs3] exclude=rs4',
      'wait [rs3]',
      'probe [rs3]',
      'leave-out rs3 (wait: director: ipvsadm -Ln failed)',
      'director leave the batch out again [rs3] exclude=rs4,rs3',
    ]);
    expect(report.stopped).toBe('director: ipvsadm -Ln failed');
    expect(report.added).toEqual([]);
  });

  it('stops for the probe when the VIPs do not answer, over a director that could not be watched', () => {
    const { report } = replay({ add: ['rs3'] }, (r) => (r.step === 'wait' ? { stop: 'watch' } : r.step === 'probe' ? { stop: 'no answer' } : {}));
    expect(report).toMatchObject({ stopped: 'no answer', failed: { rs3: 'wait: no answer' } });
  });

  it('stops at once when the director run that adds the batch fails', () => {
    const { steps, report } = replay({ add: ['rs3', 'rs4'], remove: ['rs1'] }, (r) =>
      r.step === 'director' ? { passed: [], stop: 'the director configuration failed on director' } : {},
    );
    expect(steps.at(-1)).toBe('director add at weight 0 [rs3] exclude=rs4');
    expect(report).toEqual({ check: false, added: [], removed: [], failed: {}, stopped: 'the director configuration failed on director' });
  });

  it('does nothing when the directors cannot be read', () => {
    const { steps, report } = replay({ add: ['rs3'], remove: ['rs1'] }, (r) => (r.step === 'members' ? { stop: 'cannot read' } : {}));
    expect(steps).toEqual(['members']);
    expect(report.stopped).toBe('cannot read');
  });
});

describe('a rollout removing hosts', () => {
  it('drains at weight 0, waits, removes from the director, then undoes the setup', () => {
    const { steps, report } = replay({ remove: ['rs1'], undo: true }, failing('undo', 'rs1', 'removing its real-server setup failed'));
    expect(steps).toEqual([
      'members',
      'director drain: weight 0, no new connections [rs1] exclude=',
      'drain [rs1]',
      'director remove from the director [rs1] exclude=rs1',
      'undo [rs1]',
    ]);
    expect(report).toEqual({ check: false, added: [], removed: ['rs1'], failed: { rs1: 'undo: removing its real-server setup failed' } });
  });

  it('does not wait for the drain in check mode', () => {
    expect(replay({ remove: ['rs1'], check: true }).steps).not.toContain('drain [rs1]');
  });

  it('still removes when a director cannot be watched while draining, and reports it', () => {
    const { steps, report } = replay({ remove: ['rs1'] }, (r) => (r.step === 'drain' ? { stop: 'director: unreachable' } : {}));
    expect(steps.at(-1)).toBe('director remove from the director [rs1] exclude=rs1');
    expect(report).toMatchObject({ removed: ['rs1'], stopped: 'director: unreachable' });
    const failedRemoval = replay({ remove: ['rs1'] }, (r) =>
      r.step === 'drain' ? { stop: 'director: unreachable' } : r.step === 'director' && r.what.startsWith('remove') ? { stop: 'config failed' } : {},
    );
    expect(failedRemoval.report).toMatchObject({ removed: [], stopped: 'config failed' });
  });

  it('does not remove after a batch stopped the rollout', () => {
    const { steps } = replay({ add: ['rs3'], remove: ['rs1'] }, failing('configure', 'rs3', 'failed'));
    expect(steps.some((s) => s.includes('rs1'))).toBe(false);
  });
});

describe('the rollout state', () => {
  it('keeps the latest reason a host was left out for, in the order hosts were first left out', () => {
    let state = startState(['rs3', 'rs4']);
    const request: StepRequest = { step: 'leave-out', leftOut: [] };
    state = afterStep(state, request, { passed: [], leftOut: [leftOut('rs3', 'configure', 'a'), leftOut('rs4', 'verify', 'b')] });
    state = afterStep(state, request, { passed: [], leftOut: [leftOut('rs3', 'undo', 'c')] });
    expect(Object.entries(state.failed)).toEqual([
      ['rs3', 'undo: c'],
      ['rs4', 'verify: b'],
    ]);
  });

  it('admits hosts to the director even when the run fails, but adds them only when it succeeds', () => {
    const request: StepRequest = { step: 'director', what: 'raise', hosts: ['rs3'], weights: {}, admit: ['rs3'], makes: 'added' };
    const failed = afterStep(startState(['rs3']), request, { passed: [], leftOut: [], stop: 'failed' });
    expect(failed).toMatchObject({ pending: [], added: [] });
    expect(afterStep(startState(['rs3']), request, { passed: ['rs3'], leftOut: [] }).added).toEqual(['rs3']);
  });
});
