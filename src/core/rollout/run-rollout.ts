/**
 * Growing (and shrinking) a live cluster without dropping a request. For each batch of new real
 * servers: configure them, verify them on the host, put them behind the director at weight 0, wait
 * until the director's health check and a client-side probe pass, then raise them to their weight.
 * A host that fails a step never reaches the director's configuration. Removal drains first.
 */
import type { Inventory } from '../inventory/types.ts';
import type { Playbook } from '../playbook/types.ts';
import { serialBatches } from '../executor/batches.ts';
import { runPlaybook, type RunOptions, type RunSummary } from '../executor/run-playbook.ts';
import { realServerEndpoint, type RealServerEndpoint } from './endpoints.ts';
import type { IpvsService } from '../../facts/ipvsadm.ts';
import { directorMembers } from './director-members.ts';
import { allDrained, allListed, waitOnDirector, type DirectorCondition } from './director-watch.ts';
import { probeVips } from './vip-probe.ts';

export interface RolloutPlaybooks {
  realserver: Playbook;
  verify: Playbook;
  director: Playbook;
}

export interface RolloutOptions {
  inventory: Inventory;
  playbooks: RolloutPlaybooks;
  add: string[];
  remove: string[];
  /** Serial batches of the new hosts (counts or percentages; the last repeats). */
  batch: (number | string)[];
  /** Stop before the next batch when more than this share of a batch failed. */
  maxFailPercentage: number;
  /** After removing hosts from the director, also undo their real-server setup. */
  undo: boolean;
  check: boolean;
  extraVars: Record<string, unknown>;
  healthTimeoutMs: number;
  drainTimeoutMs: number;
  /** Client-side connections per VIP port after each weight-0 step; 0 skips the probe. */
  probeAttempts: number;
  exec: Omit<RunOptions, 'check' | 'limit' | 'tags' | 'skipTags' | 'extraVars'>;
}

export interface RolloutReport {
  check: boolean;
  added: string[];
  removed: string[];
  /** Hosts left out of the director, with the step and reason. */
  failed: Record<string, string>;
  /** Why the rollout stopped before its end. */
  stopped?: string;
}

const healthy = (s: RunSummary, host: string): boolean => {
  const st = s.stats[host];
  return Boolean(st) && st.failed === 0 && st.unreachable === 0;
};

export async function runRollout(o: RolloutOptions): Promise<RolloutReport> {
  const report: RolloutReport = { check: o.check, added: [], removed: [], failed: {} };
  const events = o.exec.events;
  const step = (name: string, hosts: string[], detail?: string): void => events.emit({ type: 'rollout:step', step: name, hosts, ...(detail ? { detail } : {}) });
  const fail = (host: string, stepName: string, reason: string): void => {
    report.failed[host] = `${stepName}: ${reason}`;
    events.emit({ type: 'rollout:host-failed', host, step: stepName, reason });
  };
  const run = (playbook: Playbook, hosts: string[] | undefined, extra: Record<string, unknown> = {}, check = o.check) =>
    runPlaybook(playbook, o.inventory, {
      ...o.exec,
      check,
      ...(hosts ? { limit: hosts.join(':') } : {}),
      tags: [],
      skipTags: [],
      extraVars: { ...o.extraVars, ...extra },
    });
  /** Hosts not (yet) in service stay out of the director's configuration: the new ones until they
   * pass, and any other real server of the inventory that no director names now. */
  const pending = new Set(o.add);
  try {
    const inService = await directorMembers(o.inventory, (name) => o.exec.connectionFor(o.inventory.hosts.get(name)!));
    for (const h of o.inventory.select('realservers')) if (!inService.has(realServerEndpoint(o.inventory, h).ip)) pending.add(h);
  } catch (err) {
    report.stopped = `cannot read the directors' configuration: ${(err as Error).message}`;
    return report;
  }
  const directorRun = async (what: string, hosts: string[], weights: Record<string, number>, leaveOut: string[] = []): Promise<boolean> => {
    const exclude = [...new Set([...pending, ...Object.keys(report.failed), ...leaveOut])];
    step('director', hosts, what);
    const s = await run(o.playbooks.director, undefined, { lvs_director_weights: weights, lvs_director_exclude: exclude });
    const bad = Object.keys(s.stats).filter((h) => !healthy(s, h));
    if (bad.length > 0) report.stopped = `the director configuration failed on ${bad.join(', ')}; nothing further was changed`;
    return bad.length === 0;
  };

  for (const [index, batch] of serialBatches(o.add, o.batch).entries()) {
    if (o.exec.signal?.aborted) break;
    step('configure', batch, `batch ${index + 1}: the real-server playbook`);
    const configured = await run(o.playbooks.realserver, batch);
    let ok = batch.filter((h) => healthy(configured, h) || (fail(h, 'configure', 'the real-server playbook failed on it'), false));
    if (o.check) {
      step('verify', ok, 'not in check mode: verification needs the configured hosts');
    } else if (ok.length > 0) {
      ok = await verify(ok);
    }
    if (ok.length > 0) {
      for (const h of ok) pending.delete(h);
      if (!(await directorRun('add at weight 0', ok, Object.fromEntries(ok.map((h) => [h, 0]))))) break;
      // Hosts whose health check does not pass are in report.failed, which the next step leaves out.
      if (!o.check) ok = await waitInService(ok);
      if (report.stopped) {
        // Nothing more can be trusted about this batch: take it out of the director again.
        for (const h of ok) fail(h, 'wait', report.stopped);
        const why = report.stopped;
        await directorRun('leave the batch out again', ok, {});
        report.stopped = why;
        break;
      }
      if (!(await directorRun('raise to their weights', ok, {}))) break;
      report.added.push(...ok);
    }
    const failedShare = ((batch.length - ok.length) / batch.length) * 100;
    if (failedShare > o.maxFailPercentage) {
      report.stopped = `${batch.length - ok.length} of ${batch.length} host(s) of batch ${index + 1} failed, more than --max-fail ${o.maxFailPercentage}%`;
      break;
    }
  }
  if (!report.stopped && o.remove.length > 0) await removeHosts();
  return report;

  async function verify(hosts: string[]): Promise<string[]> {
    step('verify', hosts, 'the real-server playbook in check mode must change nothing; services must listen on the VIP ports');
    const again = await run(o.playbooks.realserver, hosts, {}, true);
    const listening = await run(o.playbooks.verify, hosts, {}, false);
    return hosts.filter((h) => {
      const changes = again.stats[h]?.changed ?? 0;
      if (!healthy(again, h) || changes > 0) return fail(h, 'verify', `its setup is not complete (${changes} change(s) still pending)`), false;
      if (!healthy(listening, h)) return fail(h, 'verify', 'no service listens on a VIP port'), false;
      return true;
    });
  }

  /** Waits for the director's health check, then probes the VIPs from this machine. */
  async function waitInService(hosts: string[]): Promise<string[]> {
    const endpoints = hosts.map((h) => realServerEndpoint(o.inventory, h));
    step('wait', hosts, `until the director's health check passes (at most ${o.healthTimeoutMs / 1000} s)`);
    const listed = await watchDirectors(allListed(endpoints), o.healthTimeoutMs);
    const passed = endpoints.filter((e) => listed.every((services) => allListed([e])(services))).map((e) => e.host);
    for (const h of hosts) if (!passed.includes(h)) fail(h, 'wait', `the director's health check did not pass within ${o.healthTimeoutMs / 1000} s`);
    if (o.probeAttempts > 0) {
      const services = uniqueServices(endpoints);
      step('probe', hosts, `${o.probeAttempts} connection(s) to each of ${services.map((s) => `${s.vip}:${s.port}`).join(', ')}`);
      const failures = await probeVips(services, o.probeAttempts);
      if (failures.length > 0) report.stopped = `the VIPs do not answer from here: ${failures.slice(0, 3).join('; ')}`;
    }
    return passed;
  }

  async function removeHosts(): Promise<void> {
    const endpoints = o.remove.map((h) => realServerEndpoint(o.inventory, h));
    if (!(await directorRun('drain: weight 0, no new connections', o.remove, Object.fromEntries(o.remove.map((h) => [h, 0]))))) return;
    if (!o.check) {
      step('drain', o.remove, `until they have no active connections (at most ${o.drainTimeoutMs / 1000} s)`);
      await watchDirectors(allDrained(endpoints), o.drainTimeoutMs);
    }
    if (!(await directorRun('remove from the director', o.remove, {}, o.remove))) return;
    report.removed.push(...o.remove);
    if (o.undo) {
      step('undo', o.remove, 'the real-server playbook with lvs_state=absent');
      const undone = await run(o.playbooks.realserver, o.remove, { lvs_state: 'absent' });
      for (const h of o.remove) if (!healthy(undone, h)) fail(h, 'undo', 'removing its real-server setup failed');
    }
  }

  /**
   * ipvsadm's view from every director once the condition holds there or time runs out. A director
   * that cannot be asked stops the rollout: nothing can be known about its health checks.
   */
  async function watchDirectors(condition: DirectorCondition, timeoutMs: number): Promise<IpvsService[][]> {
    return Promise.all(
      o.inventory.select('directors').map(async (d) => {
        const conn = o.exec.connectionFor(o.inventory.hosts.get(d)!);
        try {
          await conn.connect();
          const r = await waitOnDirector(conn, condition, timeoutMs, o.exec.signal);
          if (r.error) report.stopped = `${d}: ${r.error}`;
          return r.services;
        } catch (err) {
          report.stopped = `${d}: ${(err as Error).message}`;
          return [];
        } finally {
          await conn.close().catch(() => undefined);
        }
      }),
    );
  }
}

function uniqueServices(endpoints: RealServerEndpoint[]) {
  const seen = new Map<string, RealServerEndpoint['services'][number]>();
  for (const e of endpoints) for (const s of e.services) seen.set(`${s.protocol}:${s.vip}:${s.port}`, s);
  return [...seen.values()];
}
