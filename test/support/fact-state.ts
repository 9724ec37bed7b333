/**
 * A module's state in a test: its facts' values by state key. A fact the values
 * lack fails the plan, or, given `unread`, is noted there and answered with its `unread` value, as
 * the executor's first making of a plan (src/core/executor/plan-on-facts.ts).
 */
import { factKey, factProbe, type Probe } from '../../src/facts/fact.ts';
import type { ModuleContext, ModuleDef, StateView } from '../../src/modules/types.ts';

export const stateOf = (values: Record<string, unknown>, unread?: Map<string, Probe>): StateView => ({
  fact(fact, param) {
    const key = factKey(fact, param);
    if (key in values) return values[key] as never;
    if (!unread) throw new Error(`not read: ${key}`);
    unread.set(key, factProbe(fact, param) as Probe);
    return fact.unread;
  },
});

/** What a module reads with `values` known: the facts its plan asks for. */
export function probesRead(module: ModuleDef, args: unknown, ctx: ModuleContext, values: Record<string, unknown> = {}): Probe[] {
  const unread = new Map<string, Probe>();
  try {
    module.plan(args, stateOf(values, unread), ctx);
  } catch {
    // What it asked for before failing is what it reads.
  }
  return [...unread.values()];
}

/** The state keys of probesRead, sorted. */
export const keysRead = (module: ModuleDef, args: unknown, ctx: ModuleContext, values: Record<string, unknown> = {}): string[] =>
  [...new Set(probesRead(module, args, ctx, values).map((p) => p.key))].sort();
