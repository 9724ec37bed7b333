/**
 * A plan made on the facts it asks for: every fact a making of the plan asks for is read in one
 * exec, a fact asked for only after another costs one more, and what the cache or the check-mode
 * overlay holds costs none (src/core/executor/plan-on-facts.ts), on this machine's shell.
 */
import { describe, expect, it } from 'vitest';
import { LocalConnection } from '../../src/connection/local.ts';
import type { Connection } from '../../src/connection/types.ts';
import { HostRun } from '../../src/core/executor/host-run.ts';
import { factsPlanReads, planOnFacts } from '../../src/core/executor/plan-on-facts.ts';
import type { TaskTarget } from '../../src/core/executor/task-attempt.ts';
import type { InventoryHost } from '../../src/core/inventory/types.ts';
import { factKey, type Fact } from '../../src/facts/fact.ts';
import type { ModuleContext, ModuleDef, Plan } from '../../src/modules/types.ts';
import { sh } from '../../src/shell/quote.ts';

/** `echo WORD`: the fact of a word is the word, read on the host. */
const echoFact: Fact<string, string> = { kind: 'echo', id: (w) => w, read: { command: (w) => sh`echo ${w}` }, parse: (r) => r.stdout.trim(), unread: '' };

/** Asks for `first`; only when it reads `then` does it ask for `second`. */
const chained: ModuleDef<{ words: string[] }> = {
  name: 'chained',
  summary: 'test',
  schema: {},
  plan(args, state): Plan {
    const seen = args.words.map((w) => state.fact(echoFact, w));
    if (seen[0] === 'then') seen.push(state.fact(echoFact, 'second'));
    return { kind: 'noop', reason: seen.join(' ') };
  },
};

function setup() {
  const conn = new LocalConnection();
  let execs = 0;
  const counting = Object.create(conn) as Connection;
  counting.exec = (command, options) => {
    execs++;
    return conn.exec(command, options);
  };
  const host = new HostRun({ name: 'h', vars: {} } as unknown as InventoryHost);
  const on: TaskTarget = { conn: counting, as: {}, sharesCache: true };
  const plan = (words: string[], overlay = false) => planOnFacts(host, on, chained, { words }, {} as ModuleContext, overlay, 10_000);
  return { host, plan, execs: () => execs };
}

describe('planOnFacts', () => {
  it('reads every fact a plan asks for in one exec, and again only what a read fact leads to', async () => {
    const { plan, execs } = setup();
    expect(await plan(['a', 'b', 'c'])).toEqual({ kind: 'noop', reason: 'a b c' });
    expect(execs()).toBe(1);
    expect(await plan(['then', 'b'])).toEqual({ kind: 'noop', reason: 'then b second' });
    expect(execs()).toBe(3);
  });

  it('reads nothing the cache holds, and in check mode takes the overlay over the host', async () => {
    const { host, plan, execs } = setup();
    await plan(['a', 'b']);
    expect(await plan(['b', 'a'])).toEqual({ kind: 'noop', reason: 'b a' });
    expect(execs()).toBe(1);
    host.overlay.set(factKey(echoFact, 'a'), 'would-be');
    expect(await plan(['a', 'z'], true)).toEqual({ kind: 'noop', reason: 'would-be z' });
    expect(execs()).toBe(2);
  });

  it('names, for the prefetch, the facts a plan asks for that the cache lacks', async () => {
    const { host, plan } = setup();
    await plan(['a']);
    const ask = (words: string[]) => factsPlanReads(host, chained, { words }, {} as ModuleContext, false).map((p) => p.key);
    expect(ask(['a', 'b'])).toEqual(['echo:b']);
    expect(ask(['then'])).toEqual(['echo:then']);
  });
});
