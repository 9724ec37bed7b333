/**
 * Waiting on the director: until keepalived's own checkers hold a real server alive and it is in
 * IPVS, or until a draining one has no active connections left. Bounded in time; once a second,
 * `ipvsadm -Ln` and, when health is asked about, keepalived's checker data (its DATA dump).
 * Listed in ipvsadm alone is not healthy: with `inhibit_on_failure` keepalived keeps a failed real
 * server at weight 0, and a rollout adds new ones at weight 0 on purpose.
 */
import type { Connection } from '../../connection/types.ts';
import { parseIpvsadm, type IpvsService } from '../../facts/ipvsadm.ts';
import { keepalivedCheckDataCommand, parseKeepalivedCheckData, type CheckedService } from '../../facts/keepalived-check-data.ts';
import type { RealServerEndpoint, VipPort } from './endpoints.ts';

/** What a director says: its IPVS table and, when read, keepalived's checker state. */
export interface DirectorView {
  services: IpvsService[];
  checked?: CheckedService[];
}

export type DirectorCondition = (view: DirectorView) => boolean;

/**
 * The IPVS service that carries a VIP port's traffic, and the port its real servers are listed at:
 * the fwmark service when the mark takes that traffic (real servers at port 0, as keepalived adds
 * them there), else the service of that protocol, address and port.
 */
function carries(v: IpvsService, s: VipPort): number | undefined {
  if (s.fwmark !== undefined) return v.protocol === 'FWM' && v.fwmark === s.fwmark ? 0 : undefined;
  return v.protocol !== 'FWM' && v.protocol === s.protocol.toUpperCase() && v.vip === s.vip && v.port === s.port ? s.port : undefined;
}

/** keepalived's service for a VIP port, the same way round: by mark, or by protocol, address and port. */
function checks(c: CheckedService, s: VipPort): number | undefined {
  if (s.fwmark !== undefined) return c.fwmark === s.fwmark ? 0 : undefined;
  return c.protocol === s.protocol.toUpperCase() && c.vip === s.vip && c.port === s.port ? s.port : undefined;
}

const listed = (services: IpvsService[], e: RealServerEndpoint, s: VipPort): boolean =>
  services.some((v) => {
    const port = carries(v, s);
    return port !== undefined && v.realServers.some((r) => r.ip === e.ip && r.port === port);
  });

const alive = (checked: CheckedService[], e: RealServerEndpoint, s: VipPort): boolean =>
  checked.some((c) => {
    const port = checks(c, s);
    return port !== undefined && c.realServers.some((r) => r.ip === e.ip && r.port === port && r.alive);
  });

/**
 * Every VIP port of every endpoint: keepalived's checkers hold the endpoint alive there, and it is
 * in IPVS. Without the checker state nothing is healthy.
 */
export function allHealthy(endpoints: RealServerEndpoint[]): DirectorCondition {
  return ({ services, checked }) =>
    checked !== undefined && endpoints.every((e) => e.services.every((s) => alive(checked, e, s) && listed(services, e, s)));
}

/** No endpoint has an active connection left on any virtual server. */
export function allDrained(endpoints: RealServerEndpoint[]): DirectorCondition {
  const ips = new Set(endpoints.map((e) => e.ip));
  return ({ services }) => services.every((v) => v.realServers.every((r) => !ips.has(r.ip) || r.activeConn === 0));
}

async function readDirector(conn: Connection, withChecks: boolean): Promise<DirectorView & { error?: string }> {
  const r = await conn.exec('ipvsadm -Ln', { timeoutMs: 10_000 });
  if (r.code !== 0) return { services: [], error: `ipvsadm -Ln failed: ${(r.stderr || r.stdout).trim()}` };
  let services: IpvsService[];
  try {
    services = parseIpvsadm(r.stdout);
  } catch (err) {
    return { services: [], error: (err as Error).message };
  }
  if (!withChecks) return { services };
  const d = await conn.exec(keepalivedCheckDataCommand.text, { timeoutMs: 10_000 });
  if (d.code !== 0) return { services, error: `keepalived's checker data (DATA signal) could not be read: ${(d.stderr || d.stdout).trim() || `exit ${d.code}`}` };
  return { services, checked: parseKeepalivedCheckData(d.stdout) };
}

/** `withChecks`: read keepalived's checker state too (what a health condition needs). */
export async function waitOnDirector(
  conn: Connection,
  condition: DirectorCondition,
  timeoutMs: number,
  signal?: AbortSignal,
  withChecks = false,
): Promise<DirectorView & { met: boolean; error?: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await readDirector(conn, withChecks);
    if (!view.error && condition(view)) return { met: true, ...view };
    if (Date.now() >= deadline || signal?.aborted) return { met: false, ...view };
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
