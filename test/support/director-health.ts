/** Waiting on the lab director's health checks (the IPVS stand-in's status, `lvsdr-lab-ipvsadm --json`). */
import { expect } from 'vitest';
import type { Lab } from './lab.ts';

/**
 * Waits (bounded) until the director checks every real server of every service healthy: a method
 * that starts firewalld blocks the checks for a moment, a rebooted real server is down until the
 * next check, and a probe then sees fewer real servers.
 */
export async function allHealthy(lab: Lab): Promise<void> {
  let last = '';
  for (let i = 0; i < 40; i++) {
    last = (await lab.exec('director', 'lvsdr-lab-ipvsadm --json')).stdout;
    const status = JSON.parse(last) as { errors: string[]; virtual_servers: { real_servers: { healthy: boolean }[] }[] };
    expect(status.errors).toEqual([]);
    if (status.virtual_servers.every((v) => v.real_servers.every((r) => r.healthy))) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the director's health checks never passed for every real server: ${last}`);
}
