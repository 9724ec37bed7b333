/**
 * debug: a message or a variable's value, shown as the task's result on the controller; nothing is
 * read from or done on the host (Ansible's debug action, plugins/action/debug.py).
 */
import { renderValue, TemplateError } from '../core/templating.ts';
import type { ModuleDef, Plan } from './types.ts';

interface DebugArgs {
  msg?: unknown;
  var?: string;
  verbosity?: number | string;
}

const NOT_DEFINED = 'VARIABLE IS NOT DEFINED!';

const shown = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

export const debugModule: ModuleDef<DebugArgs> = {
  name: 'debug',
  summary: "show a message or a variable's value (changes nothing)",
  schema: {
    type: 'object',
    properties: {
      msg: {},
      var: { type: 'string', minLength: 1 },
      verbosity: { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'string', pattern: '^[0-9]+$' }] },
    },
    additionalProperties: false,
  },
  argProblems(args) {
    const problems: { path: string; message: string }[] = [];
    if (args.msg !== undefined && args.var !== undefined) problems.push({ path: '/var', message: "'msg' and 'var' are incompatible options" });
    // Ansible shows such a task only under that many -v; the run's -v does not reach modules yet.
    if (args.verbosity !== undefined && Number(args.verbosity) > 0) {
      problems.push({ path: '/verbosity', message: 'a verbosity above 0 is not supported yet (lvsdr would show the task at every verbosity): remove it' });
    }
    return problems;
  },
  plan(args, _state, ctx): Plan {
    if (args.var === undefined) {
      const msg = args.msg === undefined ? 'Hello world!' : args.msg;
      return { kind: 'noop', reason: shown(msg), result: { msg } };
    }
    let value: unknown;
    try {
      value = renderValue(`{{ ${args.var} }}`, ctx.vars);
    } catch (err) {
      // Only an undefined variable is shown as such, as Ansible's debug does; a broken expression fails.
      if (!(err instanceof TemplateError) || err.variable === undefined) return { kind: 'fail', message: (err as Error).message };
      value = NOT_DEFINED;
    }
    return { kind: 'noop', reason: `${args.var}: ${shown(value)}`, result: { [args.var]: value } };
  },
};
