/** pause: the wait it asks the controller for, what it asks on a terminal, and the result Ansible's pause action returns. */
import { describe, expect, it } from 'vitest';
import { NOT_INTERACTIVE, pauseModule } from '../../src/modules/pause.ts';
import type { ControllerIO } from '../../src/modules/types.ts';

/** A controller whose clock moves only when it waits; with `answers`, a terminal that types them (undefined: Ctrl+C). */
function controller(answers?: (string | undefined)[]): ControllerIO & { waited: number[]; shown: string[]; asked: [string, boolean][] } {
  let t = Date.UTC(2026, 11, 7, 20, 0, 0);
  const waited: number[] = [];
  const shown: string[] = [];
  const asked: [string, boolean][] = [];
  return {
    taskName: 'check the director ',
    waited,
    shown,
    asked,
    now: () => new Date(t),
    sleep: async (ms) => {
      waited.push(ms);
      t += ms;
    },
    ...(answers && {
      terminal: {
        show: (text) => void shown.push(text),
        ask: async (question, echo) => {
          asked.push([question, echo]);
          t += 2500;
          return answers.shift();
        },
      },
    }),
  };
}

describe('pause', () => {
  it('waits its seconds or minutes (at least one second) and says so as Ansible does', async () => {
    const io = controller();
    expect(await pauseModule.onController!({ seconds: '3' }, io)).toMatchObject({ kind: 'noop', result: { stdout: 'Paused for 3.0 seconds', delta: 3, user_input: '', echo: true } });
    expect(await pauseModule.onController!({ minutes: 1, echo: 'no' }, io)).toMatchObject({ result: { stdout: 'Paused for 1.0 minutes', delta: 60, echo: false } });
    await pauseModule.onController!({ seconds: 0 }, io);
    expect(io.waited).toEqual([3000, 60000, 1000]);
  });

  it('goes on at once without a terminal when there is no duration', async () => {
    const io = controller();
    expect(await pauseModule.onController!({ prompt: 'Check the director' }, io)).toMatchObject({ kind: 'noop', reason: `${NOT_INTERACTIVE} (Check the director)`, result: { stdout: 'Paused for 0.0 minutes' } });
    expect(io.waited).toEqual([]);
  });

  it('on a terminal, waits for Enter and returns what was typed, hidden with echo: false', async () => {
    const io = controller(['yes', 's3cret']);
    expect(await pauseModule.onController!({ prompt: 'Go on?' }, io)).toMatchObject({ kind: 'noop', reason: 'Paused for 0.04 minutes', result: { user_input: 'yes', delta: 2, echo: true } });
    expect(await pauseModule.onController!({ prompt: 'Token', echo: false }, io)).toMatchObject({ result: { user_input: 's3cret', echo: false } });
    expect(io.asked).toEqual([
      ['[check the director]\nGo on?:', true],
      ['[check the director]\nToken (output is hidden):', false],
    ]);
    expect(io.waited).toEqual([]);
  });

  it("on a terminal, asks Ansible's question without a prompt, and fails when interrupted there", async () => {
    const io = controller([undefined]);
    expect(await pauseModule.onController!({}, io)).toEqual({ kind: 'fail', message: 'interrupted at the prompt' });
    expect(io.asked).toEqual([['[check the director]\nPress enter to continue, Ctrl+C to interrupt:', true]]);
  });

  it('with a duration, shows the prompt and waits it out without reading the terminal', async () => {
    const io = controller([]);
    expect(await pauseModule.onController!({ seconds: 2, prompt: 'Watch the graphs', echo: false }, io)).toMatchObject({ result: { user_input: '', stdout: 'Paused for 2.0 seconds' } });
    await pauseModule.onController!({ minutes: '1' }, io);
    expect(io.shown).toEqual(['Pausing for 2 seconds (output is hidden)\n[check the director]\nWatch the graphs (output is hidden):\n', 'Pausing for 60 seconds\n']);
    expect(io.asked).toEqual([]);
    expect(io.waited).toEqual([2000, 60000]);
  });

  it('refuses minutes and seconds together', () => {
    expect(pauseModule.argProblems!({ seconds: 1, minutes: 1 })).toEqual([{ path: '/seconds', message: 'parameters are mutually exclusive: minutes|seconds' }]);
  });
});
