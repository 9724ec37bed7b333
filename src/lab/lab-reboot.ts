/**
 * `lab reboot HOST…`: a systemd host runs `systemctl reboot` (nspawn exits 133, the boot loop boots
 * it again in a fresh network namespace); a light host is stopped and started again (runtime state
 * gone, /etc kept). Waits, bounded, until the host answers SSH from a new boot.
 */
import type { LabInfo } from './lab-info.ts';
import { sshTarget } from './lab-info.ts';
import { sshExec, waitForPort } from './lab-ssh.ts';
import { labPaths, hostDir, readLabState } from './lab-state.ts';
import { startLightHosts } from './light-host.ts';
import { sleep } from './run-command.ts';
import path from 'node:path';

const BOOT_ID = 'cat /proc/sys/kernel/random/boot_id';

export interface RebootResult {
  host: string;
  oldBootId: string;
  newBootId: string;
  seconds: number;
}

export async function labReboot(info: LabInfo, host: string, timeoutMs = 120_000): Promise<RebootResult> {
  const target = sshTarget(info, host);
  const plan = info.hosts.find((h) => h.name === host)!;
  const started = Date.now();
  const before = await sshExec(target, BOOT_ID, 15_000);
  if (before.code !== 0) throw new Error(`${host} does not answer SSH before the reboot: ${before.stderr.trim()}`);
  const oldBootId = before.stdout.trim();
  const deadline = started + timeoutMs;
  if (plan.kind === 'light') {
    const paths = labPaths(path.dirname(info.stateDir), info.name);
    const state = await readLabState(paths);
    if (!state) throw new Error(`lab ${info.name} has no state in ${info.stateDir}`);
    await startLightHosts(info.name, state.subnetIndex, info.bridge, [{ plan, dir: hostDir(paths, host) }]);
    if (!(await waitForPort(plan.address, 22, deadline))) throw new Error(`${host} did not come back within ${timeoutMs / 1000} s`);
    return { host, oldBootId, newBootId: oldBootId, seconds: (Date.now() - started) / 1000 };
  }
  // The connection drops as the host goes down, so this command's exit status says nothing.
  await sshExec(target, 'systemctl reboot', 15_000);
  while (Date.now() < deadline) {
    const r = await sshExec(target, BOOT_ID, 5_000);
    const id = r.stdout.trim();
    if (r.code === 0 && id && id !== oldBootId) {
      return { host, oldBootId, newBootId: id, seconds: (Date.now() - started) / 1000 };
    }
    await sleep(300);
  }
  throw new Error(`${host} did not come back from the reboot within ${timeoutMs / 1000} s (log: ${info.stateDir}/hosts/${host}/boot.log)`);
}
