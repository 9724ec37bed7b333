/** assert and fail: checks on variables, decided on the controller without touching the host. */
import { evalCondition } from '../core/templating.ts';
import type { ModuleDef, Plan } from './types.ts';

interface AssertArgs {
  that: string | string[];
  fail_msg?: string;
  success_msg?: string;
}

export const assertModule: ModuleDef<AssertArgs> = {
  name: 'assert',
  summary: 'fail unless every condition in `that` holds',
  conditionArgs: ['that'],
  schema: {
    type: 'object',
    properties: {
      that: { anyOf: [{ type: 'string', minLength: 1 }, { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 }] },
      fail_msg: { type: 'string' },
      success_msg: { type: 'string' },
    },
    required: ['that'],
    additionalProperties: false,
  },
  plan(args, _state, ctx): Plan {
    for (const condition of Array.isArray(args.that) ? args.that : [args.that]) {
      if (!evalCondition(condition, ctx.vars)) {
        return { kind: 'fail', message: args.fail_msg ?? `assertion failed: ${condition}` };
      }
    }
    return { kind: 'noop', reason: args.success_msg ?? 'all assertions passed' };
  },
};

export const failModule: ModuleDef<{ msg?: string }> = {
  name: 'fail',
  summary: 'fail the host with a message (usually under `when`)',
  schema: { type: 'object', properties: { msg: { type: 'string' } }, additionalProperties: false },
  plan: (args): Plan => ({ kind: 'fail', message: args.msg ?? 'failed as requested' }),
};
