/**
 * pause (ansible.builtin.pause): a wait on the controller, in check mode as in a run, with the
 * result Ansible's action returns (plugins/action/pause.py), once for the batch's hosts (its
 * BYPASS_HOST_LOOP). On a terminal, as there, a pause without a duration shows its prompt and
 * returns what is typed up to Enter as `user_input`, echoed unless `echo` is false; one with a
 * duration shows its prompt and waits it out, reading nothing. Without a terminal a pause with a
 * duration just waits and one without goes on at once with a warning. Ctrl+C interrupts the run
 * (Ansible asks whether to continue or abort).
 */
import { ansibleBool, boolSchema, type AnsibleBool } from './ansible-args.ts';
import type { ModuleDef, Plan } from './types.ts';

interface PauseArgs {
  seconds?: number | string;
  minutes?: number | string;
  prompt?: string;
  echo?: AnsibleBool;
}

/** Ansible takes the duration through int(): a whole number, or its digits. */
const durationSchema = { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'string', pattern: '^\\s*[0-9]+\\s*$' }] };

/** Python's str() of a float rounded to 2 places: 2.0, 0.05. */
const pyFloat = (n: number): string => {
  const r = Math.round(n * 100) / 100;
  return Number.isInteger(r) ? `${r}.0` : String(r);
};

/** Python's str(datetime.now()): local time with microseconds. */
function pyNow(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds() * 1000, 6)}`;
}

export const NOT_INTERACTIVE = 'Not waiting for response to prompt as stdin is not interactive';

export const pauseModule: ModuleDef<PauseArgs> = {
  name: 'pause',
  summary: 'wait on the controller for some seconds or minutes, in check mode too',
  bypassHostLoop: true,
  schema: {
    type: 'object',
    properties: { seconds: durationSchema, minutes: durationSchema, prompt: { type: 'string' }, echo: boolSchema },
    additionalProperties: false,
  },
  argProblems: (args) => (args.seconds !== undefined && args.minutes !== undefined ? [{ path: '/seconds', message: 'parameters are mutually exclusive: minutes|seconds' }] : []),
  plan: () => ({ kind: 'fail', message: 'internal: pause runs on the controller' }),
  async onController(args, io): Promise<Plan> {
    const unit = args.seconds !== undefined ? 'seconds' : 'minutes';
    const given = args.seconds ?? args.minutes;
    const echo = ansibleBool(args.echo) ?? true;
    const hidden = echo ? '' : ' (output is hidden)';
    const prompt = `[${io.taskName.trim()}]\n${args.prompt || 'Press enter to continue, Ctrl+C to interrupt'}${hidden}:`;
    const seconds = given === undefined ? undefined : Math.max(1, Number(given) * (unit === 'minutes' ? 60 : 1));
    const start = io.now();
    let userInput = '';
    if (seconds !== undefined) {
      io.terminal?.show(`Pausing for ${seconds} seconds${hidden}\n${args.prompt ? `${prompt}\n` : ''}`);
      await io.sleep(seconds * 1000);
    } else if (io.terminal) {
      const answer = await io.terminal.ask(prompt, echo);
      if (answer === undefined) return { kind: 'fail', message: 'interrupted at the prompt' };
      userInput = answer;
    }
    const stop = io.now();
    const elapsed = (stop.getTime() - start.getTime()) / 1000;
    const stdout = `Paused for ${pyFloat(unit === 'minutes' ? elapsed / 60 : elapsed)} ${unit}`;
    const result = { rc: 0, stderr: '', stdout, start: pyNow(start), stop: pyNow(stop), delta: Math.floor(elapsed), echo, user_input: userInput };
    const goesOn = seconds === undefined && !io.terminal;
    return { kind: 'noop', reason: goesOn ? `${NOT_INTERACTIVE}${args.prompt ? ` (${args.prompt})` : ''}` : stdout, result };
  },
};
