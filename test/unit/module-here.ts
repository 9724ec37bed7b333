/**
 * A module's probes and plan run on this machine with /bin/sh, as a host runs them: for modules
 * whose state is another program's (git, tar), tested against the real program rather than
 * against captured text alone.
 */
import { execFileSync } from 'node:child_process';
import type { ModuleDef, Plan, Probe, StateView } from '../../src/modules/types.ts';

export function shellHere(text: string): { code: number; stdout: string; stderr: string } {
  try {
    return { code: 0, stdout: execFileSync('/bin/sh', ['-c', text], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }), stderr: '' };
  } catch (err) {
    const e = err as { status: number; stdout: string; stderr: string };
    return { code: e.status, stdout: e.stdout, stderr: e.stderr };
  }
}

/** The module's probes run here, then its plan made from what they read. */
export function planHere<A>(module: ModuleDef<A>, args: A): Plan {
  const ctx = {} as Parameters<ModuleDef<A>['plan']>[2];
  const values = new Map((module.probes(args, ctx) as Probe[]).map((p) => [p.key, p.parse(shellHere(p.command.text))]));
  const state: StateView = { get: <T>(k: string) => values.get(k) as T };
  return module.plan(args, state, ctx);
}

/** A change's commands run here, in order; the first that fails throws. */
export function applyHere(plan: Plan): void {
  if (plan.kind !== 'change') throw new Error(`not a change: ${JSON.stringify(plan)}`);
  for (const c of plan.changes.flatMap((x) => x.commands)) {
    const r = shellHere(c.command.text);
    if (r.code !== 0) throw new Error(`${c.command.text}: ${r.stderr}`);
  }
}
