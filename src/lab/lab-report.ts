/** Plain-text renderings of lab results for the CLI (the data itself is returned as is for --json). */
import type { LabInfo } from './lab-info.ts';
import type { ProbeResult } from './lab-probe.ts';

export function statusText(info: LabInfo): string {
  const lines = [
    `lab ${info.name}: bridge ${info.bridge}, subnet ${info.subnet}, VIP ${info.vip}`,
    ...(info.vip6 ? [`IPv6: subnet ${info.subnet6}, VIP ${info.vip6} (each host's address: fd00:: and its IPv4 numbers)`] : []),
    `inventory: ${info.inventoryPath}`,
  ];
  const row = (name: string, role: string, kind: string, address: string, running: boolean | undefined) =>
    `  ${name.padEnd(10)} ${role.padEnd(10)} ${kind.padEnd(8)} ${address.padEnd(15)} ${running === undefined ? '' : running ? 'running' : 'DOWN'}`;
  if (info.router) lines.splice(1, 0, `client segment: bridge ${info.clientBridge}, subnet ${info.clientSubnet}, behind the router`);
  for (const h of info.hosts) lines.push(row(h.name, h.role, h.kind, h.address, h.running));
  if (info.router) {
    const legs = [info.router.address, info.router.clientAddress, ...(info.router.frontAddress ? [info.router.frontAddress] : [])];
    lines.push(row('router', 'router', 'netns', legs.join(' '), info.router.running));
  }
  return lines.join('\n');
}

export function probeText(r: ProbeResult): string {
  const served = Object.entries(r.servedBy)
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([host, n]) => `${host}=${n}`)
    .join(' ');
  const arp = r.arp.length ? r.arp.map((a) => `${a.mac}${a.host ? ` (${a.host})` : ''}`).join(', ') : 'none';
  const wrong = Object.entries(r.wrongSource).map(([host, n]) => `${host}=${n}`).join(' ');
  const at = r.vip.includes(':') ? `[${r.vip}]:${r.port}` : `${r.vip}:${r.port}`;
  return [
    `${at}${r.protocol === 'udp' ? '/udp' : ''}: ${r.requests} requests, ${r.failures} failed; served by ${served || 'nobody'}`,
    ...(wrong ? [`replies not from ${at} (a client drops them): ${wrong}`] : []),
    `${r.vip.includes(':') ? 'Neighbour discovery' : 'ARP'} answers for ${r.vip}: ${arp}`,
  ].join('\n');
}
