/**
 * Waiting on the director: until keepalived lists a real server (its health check passed), or until
 * a draining one has no active connections left. Bounded in time; one `ipvsadm -Ln` per second.
 */
import type { Connection } from '../../connection/types.ts';
import { parseIpvsadm, type IpvsService } from '../../facts/ipvsadm.ts';
import type { RealServerEndpoint, VipPort } from './endpoints.ts';

export type DirectorCondition = (services: IpvsService[]) => boolean;

/**
 * The IPVS service that carries a VIP port's traffic, and the port its real servers are listed at:
 * the fwmark service when the mark takes that traffic (real servers at port 0, as keepalived adds
 * them there), else the service of that protocol, address and port.
 */
function carries(v: IpvsService, s: VipPort): number | undefined {
  if (s.fwmark !== undefined) return v.protocol === 'FWM' && v.fwmark === s.fwmark ? 0 : undefined;
  return v.protocol !== 'FWM' && v.protocol === s.protocol.toUpperCase() && v.vip === s.vip && v.port === s.port ? s.port : undefined;
}

/** Every VIP port of every endpoint has the endpoint's address behind it. */
export function allListed(endpoints: RealServerEndpoint[]): DirectorCondition {
  return (services) =>
    endpoints.every((e) =>
      e.services.every((s) =>
        services.some((v) => {
          const port = carries(v, s);
          return port !== undefined && v.realServers.some((r) => r.ip === e.ip && r.port === port);
        }),
      ),
    );
}

/** No endpoint has an active connection left on any virtual server. */
export function allDrained(endpoints: RealServerEndpoint[]): DirectorCondition {
  const ips = new Set(endpoints.map((e) => e.ip));
  return (services) => services.every((v) => v.realServers.every((r) => !ips.has(r.ip) || r.activeConn === 0));
}

function readIpvsadm(stdout: string): { services: IpvsService[]; error?: string } {
  try {
    return { services: parseIpvsadm(stdout) };
  } catch (err) {
    return { services: [], error: (err as Error).message };
  }
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
    const { services, error } = r.code === 0 ? readIpvsadm(r.stdout) : { services: [], error: `ipvsadm -Ln failed: ${(r.stderr || r.stdout).trim()}` };
    if (!error && condition(services)) return { met: true, services };
    if (Date.now() >= deadline || signal?.aborted) return { met: false, services, ...(error ? { error } : {}) };
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
