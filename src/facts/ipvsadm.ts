/**
 * Parser of `ipvsadm -Ln`: the virtual services the director's kernel forwards for, and the real
 * servers keepalived has put behind each. The shapes are those of ipvsadm 1.31's
 * `print_service_entry` (Debian 12): a service by protocol, address and port (`TCP  1.2.3.4:80`,
 * `UDP  [fd00::1]:53`) or by firewall mark (`FWM  1`, `FWM  1 IPv6`), then the scheduler, its flags
 * in parentheses, `persistent N` (with `mask M`, `pe NAME`) and `ops`; each real server on an
 * indented `->` line, an IPv6 one in brackets.
 *
 * Listed is not healthy: with `inhibit_on_failure` keepalived keeps a failed real server at weight
 * 0, and a rollout adds new ones at weight 0 on purpose.
 */

export interface IpvsRealServer {
  ip: string;
  port: number;
  forward: string;
  weight: number;
  activeConn: number;
  inactiveConn: number;
}

interface IpvsServiceCommon {
  family: 'inet' | 'inet6';
  scheduler: string;
  /** `sh-port`, `mh-fallback`, …: what ipvsadm prints in parentheses after the scheduler. */
  schedulerFlags: string[];
  persistent?: { timeout: number; mask?: string; engine?: string };
  /** One-packet scheduling (keepalived's `ops`, UDP). */
  onePacket: boolean;
  realServers: IpvsRealServer[];
}

export type IpvsService = IpvsServiceCommon &
  ({ protocol: 'TCP' | 'UDP' | 'SCTP'; vip: string; port: number } | { protocol: 'FWM'; fwmark: number });

/** How ipvsadm names a service: `TCP 198.18.0.240:80`, `UDP [fd00::240]:53`, `FWM 1`. */
export function ipvsServiceName(s: IpvsService): string {
  if (s.protocol === 'FWM') return `FWM ${s.fwmark}${s.family === 'inet6' ? ' IPv6' : ''}`;
  return `${s.protocol} ${addressPort(s.vip, s.port)}`;
}

const addressPort = (ip: string, port: number): string => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);

const HEADER = /^(IP Virtual Server version |Prot LocalAddress:Port |\s+-> RemoteAddress:Port )/;
const BY_ADDRESS = /^(TCP|UDP|SCTP)\s+(\S+)\s+(\S+)(.*)$/;
const BY_MARK = /^FWM\s+(\d+)( IPv6)?\s+(\S+)(.*)$/;
const REAL = /^\s+->\s+(\S+)\s+(\S+)\s+(-?\d+)\s+(\d+)\s+(\d+)\s*$/;
const ENDPOINT = /^(?:\[([0-9A-Fa-f:.]+)\]|(\d+\.\d+\.\d+\.\d+)):(\d+)$/;
// After the scheduler: ` (flag,flag)`, ` persistent N`, ` mask M`, ` pe NAME`, ` ops`, in that order.
const FLAGS = /^(?: \(([^)]*)\))?(?: persistent (\d+)(?: mask (\S+))?(?: pe (\S+))?)?( ops)?\s*$/;

function endpoint(text: string, line: string): { ip: string; port: number; family: 'inet' | 'inet6' } {
  const m = ENDPOINT.exec(text);
  if (!m) throw new Error(`ipvsadm -Ln: not an address and port: '${text}' in '${line}'`);
  return { ip: m[1] ?? m[2], port: Number(m[3]), family: m[1] ? 'inet6' : 'inet' };
}

function serviceFlags(rest: string, line: string): Pick<IpvsServiceCommon, 'schedulerFlags' | 'persistent' | 'onePacket'> {
  const f = FLAGS.exec(rest);
  if (!f) throw new Error(`ipvsadm -Ln: a service line lvsdr does not read: '${line}'`);
  return {
    schedulerFlags: f[1] ? f[1].split(',').filter(Boolean) : [],
    ...(f[2] ? { persistent: { timeout: Number(f[2]), ...(f[3] ? { mask: f[3] } : {}), ...(f[4] ? { engine: f[4] } : {}) } } : {}),
    onePacket: Boolean(f[5]),
  };
}

/**
 * Every service and its real servers. A line it cannot read is an error naming it, not skipped:
 * skipped, a real server after it would be counted under the service before.
 */
export function parseIpvsadm(stdout: string): IpvsService[] {
  const services: IpvsService[] = [];
  for (const line of stdout.split('\n')) {
    if (line.trim() === '' || HEADER.test(line)) continue;
    const a = BY_ADDRESS.exec(line);
    if (a) {
      const { ip, port, family } = endpoint(a[2], line);
      services.push({ protocol: a[1] as 'TCP' | 'UDP' | 'SCTP', vip: ip, port, family, scheduler: a[3], ...serviceFlags(a[4], line), realServers: [] });
      continue;
    }
    const m = BY_MARK.exec(line);
    if (m) {
      services.push({ protocol: 'FWM', fwmark: Number(m[1]), family: m[2] ? 'inet6' : 'inet', scheduler: m[3], ...serviceFlags(m[4], line), realServers: [] });
      continue;
    }
    const r = REAL.exec(line);
    if (r && services.length > 0) {
      const { ip, port } = endpoint(r[1], line);
      services[services.length - 1].realServers.push({
        ip,
        port,
        forward: r[2],
        weight: Number(r[3]),
        activeConn: Number(r[4]),
        inactiveConn: Number(r[5]),
      });
      continue;
    }
    throw new Error(`ipvsadm -Ln: a line lvsdr does not read: '${line}'`);
  }
  return services;
}
