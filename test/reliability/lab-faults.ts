/**
 * Faults done to a light lab host from outside, as an operator's bad day would: its link down,
 * its sshd killed (listener and sessions), sshd started again in the host's own namespaces.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { hostObjectName } from '../../src/lab/lab-names.ts';
import { killPids, netnsPids } from '../../src/lab/lab-processes.ts';
import { waitForPort } from '../../src/lab/lab-ssh.ts';
import { runChecked } from '../../src/lab/run-command.ts';
import type { Lab } from '../support/lab.ts';

const argvOf = (pid: number): string => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
};

const nsOf = (lab: Lab, host: string): string => hostObjectName(lab.info.name, host);

/** Pids in the host whose command line starts with `prefix` (sshd retitles itself `sshd: …`). */
export async function hostPids(lab: Lab, host: string, prefix: string): Promise<number[]> {
  return (await netnsPids(nsOf(lab, host))).filter((pid) => argvOf(pid).startsWith(prefix));
}

/** Polls (bounded) until a process of the host starts with `prefix`. */
export async function waitForHostProcess(lab: Lab, host: string, prefix: string, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await hostPids(lab, host, prefix)).length > 0) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

export async function killSshd(lab: Lab, host: string): Promise<void> {
  await killPids(await hostPids(lab, host, 'sshd'));
}

/** Starts sshd again inside the host's network, mount and UTS namespaces (entered through one of its processes). */
export async function startSshd(lab: Lab, host: string): Promise<void> {
  const [anchor] = await netnsPids(nsOf(lab, host));
  if (anchor === undefined) throw new Error(`lab host ${host} has no process left to enter its namespaces through`);
  const child = spawn('nsenter', ['-t', String(anchor), '-m', '-u', '-n', '/usr/sbin/sshd', '-D', '-e'], { detached: true, stdio: 'ignore' });
  child.unref();
  const address = lab.hosts.find((h) => h.name === host)!.address;
  if (!(await waitForPort(address, 22, Date.now() + 10_000))) throw new Error(`sshd of ${host} did not come back`);
}

/** Takes the host's only link down (or up): it stops answering, as a host that lost power. */
export async function setLink(lab: Lab, host: string, state: 'up' | 'down'): Promise<void> {
  await runChecked('ip', ['-n', nsOf(lab, host), 'link', 'set', 'dev', 'eth0', state]);
}
