/**
 * Parser of `ipvsadm -Ln`: the virtual servers the director's kernel forwards for, and the real
 * servers keepalived has put behind each. keepalived adds a real server only once its health check
 * passes, so "listed" means "healthy" — what a rollout waits for.
 */

export interface IpvsRealServer {
  ip: string;
  port: number;
  forward: string;
  weight: number;
  activeConn: number;
  inactiveConn: number;
}

export interface IpvsService {
  protocol: 'TCP' | 'UDP';
  vip: string;
  port: number;
  scheduler: string;
  realServers: IpvsRealServer[];
}

const SERVICE = /^(TCP|UDP)\s+(\d+\.\d+\.\d+\.\d+):(\d+)\s+(\S+)/;
const REAL = /^\s+->\s+(\d+\.\d+\.\d+\.\d+):(\d+)\s+(\S+)\s+(\d+)\s+(\d+)\s+(\d+)/;

export function parseIpvsadm(stdout: string): IpvsService[] {
  const services: IpvsService[] = [];
  for (const line of stdout.split('\n')) {
    const s = SERVICE.exec(line);
    if (s) {
      services.push({ protocol: s[1] as 'TCP' | 'UDP', vip: s[2], port: Number(s[3]), scheduler: s[4], realServers: [] });
      continue;
    }
    const r = REAL.exec(line);
    if (r && services.length > 0) {
      services[services.length - 1].realServers.push({
        ip: r[1],
        port: Number(r[2]),
        forward: r[3],
        weight: Number(r[4]),
        activeConn: Number(r[5]),
        inactiveConn: Number(r[6]),
      });
    }
  }
  return services;
}
