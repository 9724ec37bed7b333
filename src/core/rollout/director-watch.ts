/**
 * Waiting on the director: until keepalived lists a real server (its health check passed), or until
 * a draining one has no active connections left. Bounded in time; one `ipvsadm -Ln` per second.
 */
import type { Connection } from '../../connection/types.ts';
import { parseIpvsadm, type IpvsService } from '../../facts/ipvsadm.ts';
import type { RealServerEndpoint } from './endpoints.ts';

export type DirectorCondition = (services: IpvsService[]) => boolean;

/** Every VIP port of every endpoint has the endpoint's address behind it. */
export function allListed(endpoints: RealServerEndpoint[]): DirectorCondition {
  return (services) =>
    endpoints.every((e) =>
      e.services.every((s) =>
        services.some((v) => v.vip === s.vip && v.port === s.port && v.realServers.some((r) => r.ip === e.ip && r.port === s.port)),
      ),
    );
}

/** No endpoint has an active connection left on any virtual server. */
export function allDrained(endpoints: RealServerEndpoint[]): DirectorCondition {
  const ips = new Set(endpoints.map((e) => e.ip));
  return (services) => services.every((v) => v.realServers.every((r) => !ips.has(r.ip) || r.activeConn === 0));
}

export async function waitOnDirector(
  conn: Connection,
  condition: DirectorCondition,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<{ met: boolean; services: IpvsService[]; error?: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await conn.exec('ipvsadm -Ln', { timeoutMs: 10_000 });
    const services = r.code === 0 ? parseIpvsadm(r.stdout) : [];
    const error = r.code === 0 ? undefined : `ipvsadm -Ln failed: ${(r.stderr || r.stdout).trim()}`;
    if (!error && condition(services)) return { met: true, services };
    if (Date.now() >= deadline || signal?.aborted) return { met: false, services, ...(error ? { error } : {}) };
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
