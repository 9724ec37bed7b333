/** Plain-text renderings of lab results for the CLI (the data itself is returned as is for --json). */
import type { LabInfo } from './lab-info.ts';
import type { ProbeResult } from './lab-probe.ts';

export function statusText(info: LabInfo): string {
  const lines = [
    `lab ${info.name}: bridge ${info.bridge}, subnet ${info.subnet}, VIP ${info.vip}`,
    `inventory: ${info.inventoryPath}`,
  ];
  for (const h of info.hosts) {
    const state = h.running === undefined ? '' : h.running ? 'running' : 'DOWN';
    lines.push(`  ${h.name.padEnd(10)} ${h.role.padEnd(10)} ${h.kind.padEnd(8)} ${h.address.padEnd(15)} ${state}`);
  }
  return lines.join('\n');
}

export function probeText(r: ProbeResult): string {
  const served = Object.entries(r.servedBy)
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([host, n]) => `${host}=${n}`)
    .join(' ');
  const arp = r.arp.length ? r.arp.map((a) => `${a.mac}${a.host ? ` (${a.host})` : ''}`).join(', ') : 'none';
  return [
    `${r.vip}:${r.port}: ${r.requests} requests, ${r.failures} failed; served by ${served || 'nobody'}`,
    `ARP answers for ${r.vip}: ${arp}`,
  ].join('\n');
}
