/**
 * The steps of a rollout, carried out on the hosts: each runs a playbook or watches the directors,
 * says so in a `rollout:step` event, and returns what it found. None changes the rollout's state;
 * run-rollout.ts folds their outcomes into it.
 */
import type { TaskResult } from '../events.ts';
import { runPlaybook, type RunSummary } from '../executor/run-playbook.ts';
import type { Playbook } from '../playbook/types.ts';
import { directorMembers } from './director-members.ts';
import { allDrained, allHealthy, waitOnDirector, type DirectorCondition, type DirectorView } from './director-watch.ts';
import { realServerEndpoint, type RealServerEndpoint } from './endpoints.ts';
import type { RolloutOptions } from './options.ts';
import { directorExclude, type RolloutState, type StepOutcome } from './outcomes.ts';
import type { StepRequest } from './sequence.ts';
import { probeVips } from './vip-probe.ts';

/** Takes the step the sequence asks for; `state` is what the rollout knows before it. */
export async function takeStep(o: RolloutOptions, state: RolloutState, request: StepRequest): Promise<StepOutcome> {
  switch (request.step) {
    case 'members':
      return readMembers(o);
    case 'configure':
      return configure(o, request.hosts, request.batch);
    case 'verify':
      return verify(o, request.hosts);
    case 'skip':
      announce(o, request.name, request.hosts, request.why);
      return { passed: request.hosts, leftOut: [] };
    case 'director':
      return runDirector(o, request, directorExclude(state, request));
    case 'wait':
      return waitHealthy(o, request.hosts);
    case 'probe':
      return probe(o, request.hosts);
    case 'drain':
      return waitDrained(o, request.hosts);
    case 'undo':
      return undo(o, request.hosts);
    case 'leave-out':
      return { passed: [], leftOut: request.leftOut };
  }
}

function announce(o: RolloutOptions, step: string, hosts: string[], detail?: string): void {
  o.exec.events.emit({ type: 'rollout:step', step, hosts, ...(detail ? { detail } : {}) });
}

function play(o: RolloutOptions, playbook: Playbook, hosts: string[] | undefined, extra: Record<string, unknown> = {}, check = o.check): Promise<RunSummary> {
  return runPlaybook(playbook, o.inventory, {
    ...o.exec,
    check,
    ...(hosts ? { limit: hosts.join(':') } : {}),
    tags: [],
    skipTags: [],
    extraVars: { ...o.extraVars, ...extra },
  });
}

const healthy = (s: RunSummary, host: string): boolean => {
  const st = s.stats[host];
  return Boolean(st) && st.failed === 0 && st.unreachable === 0;
};

/** The hosts `whyNot` has nothing against pass; the others are left out, with its reason. */
function judge(hosts: string[], step: string, whyNot: (host: string) => string | undefined): StepOutcome {
  const verdicts = hosts.map((host) => ({ host, reason: whyNot(host) }));
  return {
    passed: verdicts.filter((v) => v.reason === undefined).map((v) => v.host),
    leftOut: verdicts.flatMap(({ host, reason }) => (reason === undefined ? [] : [{ host, step, reason }])),
  };
}

/** The hosts a playbook ran on without failure pass; the others are left out with `reason`. */
const byHealth = (s: RunSummary, hosts: string[], step: string, reason: string): StepOutcome =>
  judge(hosts, step, (h) => (healthy(s, h) ? undefined : reason));

const stopIf = (stop: string | undefined): { stop?: string } => (stop ? { stop } : {});

async function readMembers(o: RolloutOptions): Promise<StepOutcome> {
  await readDirectors(o);
  try {
    const inService = await directorMembers(o.inventory, (name) => o.exec.connectionFor(o.inventory.hosts.get(name)!));
    const notInService = o.inventory.select('realservers').filter((h) => !inService.has(realServerEndpoint(o.inventory, h).ip));
    return { passed: [], leftOut: [], notInService };
  } catch (err) {
    return { passed: [], leftOut: [], stop: `cannot read the directors' configuration: ${(err as Error).message}` };
  }
}

async function configure(o: RolloutOptions, hosts: string[], batch: number): Promise<StepOutcome> {
  announce(o, 'configure', hosts, `batch ${batch}: the real-server playbook`);
  return byHealth(await play(o, o.playbooks.realserver, hosts), hosts, 'configure', 'the real-server playbook failed on it');
}

async function verify(o: RolloutOptions, hosts: string[]): Promise<StepOutcome> {
  announce(o, 'verify', hosts, 'the real-server playbook in check mode must change nothing; services must listen on the VIP ports, UDP ones answer from the VIP');
  const again = await play(o, o.playbooks.realserver, hosts, {}, true);
  // The first failure of each host says which service is not right, and why (a UDP service that
  // answers from the real IP names its fix).
  const failures = new Map<string, TaskResult>();
  const stopListening = o.exec.events.subscribe((e) => {
    if (e.type === 'task:result' && e.result.status === 'failed' && !failures.has(e.result.host)) failures.set(e.result.host, e.result);
  });
  const services = await play(o, o.playbooks.verify, hosts, {}, false).finally(stopListening);
  return judge(hosts, 'verify', (h) => {
    const changes = again.stats[h]?.changed ?? 0;
    if (!healthy(again, h) || changes > 0) return `its setup is not complete (${changes} change(s) still pending)`;
    if (healthy(services, h)) return undefined;
    const failed = failures.get(h);
    if (failed?.module === 'udp_answer') return failed.msg ?? 'a UDP service does not answer from the VIP';
    return `no service listens on a VIP port${failed?.msg ? ` (${failed.msg})` : ''}`;
  });
}

async function runDirector(o: RolloutOptions, request: Extract<StepRequest, { step: 'director' }>, exclude: string[]): Promise<StepOutcome> {
  announce(o, 'director', request.hosts, request.what);
  const s = await play(o, o.playbooks.director, undefined, { lvs_director_weights: request.weights, lvs_director_exclude: exclude });
  await readDirectors(o);
  const bad = Object.keys(s.stats).filter((h) => !healthy(s, h));
  if (bad.length === 0) return { passed: request.hosts, leftOut: [] };
  // A director pair can lose one director mid-rollout (its power cut): the other has the new
  // configuration, and says so, so the operator knows the two now differ until the rollout runs again.
  const good = Object.keys(s.stats).filter((h) => healthy(s, h));
  return {
    passed: [],
    leftOut: [],
    stop:
      `the director configuration failed on ${bad.join(', ')}${good.length ? ` (${good.join(', ')} has it)` : ''}; nothing further was changed: ` +
      `run the same rollout again once ${bad.length === 1 ? 'it is' : 'they are'} reachable`,
  };
}

async function waitHealthy(o: RolloutOptions, hosts: string[]): Promise<StepOutcome> {
  const endpoints = hosts.map((h) => realServerEndpoint(o.inventory, h));
  const seconds = o.healthTimeoutMs / 1000;
  announce(o, 'wait', hosts, `until the director's health check passes (at most ${seconds} s)`);
  const watched = await watchDirectors(o, allHealthy(endpoints), o.healthTimeoutMs, true);
  const listed = new Set(endpoints.filter((e) => watched.views.every((view) => allHealthy([e])(view))).map((e) => e.host));
  const reason = `the director's health check did not pass within ${seconds} s`;
  return { ...judge(hosts, 'wait', (h) => (listed.has(h) ? undefined : reason)), ...stopIf(watched.error) };
}

async function probe(o: RolloutOptions, hosts: string[]): Promise<StepOutcome> {
  const services = uniqueServices(hosts.map((h) => realServerEndpoint(o.inventory, h)));
  const targets = services.map((s) => `${s.vip}:${s.port}${s.protocol === 'udp' ? '/udp' : ''}`);
  const what = services.some((s) => s.protocol === 'udp') ? 'connection(s) or datagram(s)' : 'connection(s)';
  announce(o, 'probe', hosts, `${o.probeAttempts} ${what} to each of ${targets.join(', ')}`);
  const failures = await probeVips(services, o.probeAttempts);
  o.exec.events.emit({ type: 'rollout:probe', targets, attempts: o.probeAttempts, failures });
  return { passed: hosts, leftOut: [], ...stopIf(failures.length > 0 ? `the VIPs do not answer from here: ${failures.slice(0, 3).join('; ')}` : undefined) };
}

async function waitDrained(o: RolloutOptions, hosts: string[]): Promise<StepOutcome> {
  announce(o, 'drain', hosts, `until they have no active connections (at most ${o.drainTimeoutMs / 1000} s)`);
  const watched = await watchDirectors(o, allDrained(hosts.map((h) => realServerEndpoint(o.inventory, h))), o.drainTimeoutMs);
  return { passed: hosts, leftOut: [], ...stopIf(watched.error) };
}

async function undo(o: RolloutOptions, hosts: string[]): Promise<StepOutcome> {
  announce(o, 'undo', hosts, 'the real-server playbook with lvs_state=absent');
  return byHealth(await play(o, o.playbooks.realserver, hosts, { lvs_state: 'absent' }), hosts, 'undo', 'removing its real-server setup failed');
}

/**
 * What the directors forward to now, for the record of the rollout (one `ipvsadm -Ln` each). It
 * decides nothing, so a director that cannot be asked is only reported, in the event.
 */
async function readDirectors(o: RolloutOptions): Promise<void> {
  await watchDirectors(o, () => true, 0);
}

/**
 * ipvsadm's view from every director once the condition holds there or time runs out, each also
 * sent as a `rollout:director` event. A director that cannot be asked is an error: nothing can be
 * known about its health checks. Where several cannot, the last to answer is the one reported.
 */
async function watchDirectors(o: RolloutOptions, condition: DirectorCondition, timeoutMs: number, withChecks = false): Promise<{ views: DirectorView[]; error?: string }> {
  const errors: string[] = [];
  const views = await Promise.all(
    o.inventory.select('directors').map(async (d) => {
      const conn = o.exec.connectionFor(o.inventory.hosts.get(d)!);
      try {
        await conn.connect();
        const r = await waitOnDirector(conn, condition, timeoutMs, o.exec.signal, withChecks);
        if (r.error) errors.push(`${d}: ${r.error}`);
        o.exec.events.emit({ type: 'rollout:director', director: d, services: r.services, ...(r.checked ? { checked: r.checked } : {}), ...(r.error ? { error: r.error } : {}) });
        return { services: r.services, ...(r.checked ? { checked: r.checked } : {}) };
      } catch (err) {
        errors.push(`${d}: ${(err as Error).message}`);
        o.exec.events.emit({ type: 'rollout:director', director: d, services: [], error: (err as Error).message });
        return { services: [] };
      } finally {
        await conn.close().catch(() => undefined);
      }
    }),
  );
  return { views, ...(errors.length > 0 ? { error: errors.at(-1) } : {}) };
}

function uniqueServices(endpoints: RealServerEndpoint[]): RealServerEndpoint['services'] {
  const seen = new Map<string, RealServerEndpoint['services'][number]>();
  for (const e of endpoints) for (const s of e.services) seen.set(`${s.protocol}:${s.vip}:${s.port}`, s);
  return [...seen.values()];
}
