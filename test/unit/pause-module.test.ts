/** pause: the wait it asks the controller for, and the result Ansible's pause action returns. */
import { describe, expect, it } from 'vitest';
import { NOT_INTERACTIVE, pauseModule } from '../../src/modules/pause.ts';
import type { ControllerIO } from '../../src/modules/types.ts';

/** A controller whose clock moves only when it waits. */
function controller(interactive: boolean): ControllerIO & { waited: number[] } {
  let t = Date.UTC(2026, 11, 7, 20, 0, 0);
  const waited: number[] = [];
  return {
    interactive,
    waited,
    now: () => new Date(t),
    sleep: async (ms) => {
      waited.push(ms);
      t += ms;
    },
  };
}

describe('pause', () => {
  it('waits its seconds or minutes (at least one second) and says so as Ansible does', async () => {
    const io = controller(false);
    expect(await pauseModule.onController!({ seconds: '3' }, io)).toMatchObject({ kind: 'noop', result: { stdout: 'Paused for 3.0 seconds', delta: 3, user_input: '', echo: true } });
    expect(await pauseModule.onController!({ minutes: 1, echo: 'no' }, io)).toMatchObject({ result: { stdout: 'Paused for 1.0 minutes', delta: 60, echo: false } });
    await pauseModule.onController!({ seconds: 0 }, io);
    expect(io.waited).toEqual([3000, 60000, 1000]);
  });

  it('goes on at once without a terminal when there is no duration, and fails on one', async () => {
    const io = controller(false);
    expect(await pauseModule.onController!({ prompt: 'Check the director' }, io)).toMatchObject({ kind: 'noop', reason: `${NOT_INTERACTIVE} (Check the director)`, result: { stdout: 'Paused for 0.0 minutes' } });
    expect(io.waited).toEqual([]);
    expect(await pauseModule.onController!({ prompt: 'Check the director' }, controller(true))).toMatchObject({ kind: 'fail', message: expect.stringMatching(/does not read during a run/) });
  });

  it('refuses minutes and seconds together', () => {
    expect(pauseModule.argProblems!({ seconds: 1, minutes: 1 })).toEqual([{ path: '/seconds', message: 'parameters are mutually exclusive: minutes|seconds' }]);
  });
});
