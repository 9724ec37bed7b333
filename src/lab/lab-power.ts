/**
 * `lab poweroff HOST [--hard]`: a systemd host powers off (`systemctl poweroff`: units stop in
 * order, keepalived says goodbye), or with `hard` loses power at once (every process of the host
 * killed: no unit stops, no goodbye — what a backup director must notice by silence). Either way
 * the boot loop ends and the host stays off, /etc kept; `lab up` powers it on again.
 */
import type { LabInfo } from './lab-info.ts';
import { sshTarget } from './lab-info.ts';
import { hostObjectName } from './lab-names.ts';
import { killPids, markedProcessTrees } from './lab-processes.ts';
import { sshExec } from './lab-ssh.ts';
import { sleep } from './run-command.ts';
import { UserError } from '../core/errors.ts';

export interface PowerOffResult {
  host: string;
  hard: boolean;
  /** From the request until the host's last process was gone. */
  seconds: number;
}

export async function labPowerOff(info: LabInfo, host: string, hard: boolean, timeoutMs = 60_000): Promise<PowerOffResult> {
  const target = sshTarget(info, host);
  const plan = info.hosts.find((h) => h.name === host)!;
  if (plan.kind !== 'systemd') {
    throw new UserError({ message: `${host} is a light host, which has no power to switch`, hint: 'power off a systemd host (the director, the client, or real servers of --kind systemd)' });
  }
  const marker = hostObjectName(info.name, host);
  const started = Date.now();
  if (hard) {
    await killPids(await markedProcessTrees(marker));
  } else {
    // The connection drops as the host goes down, so this command's exit status says nothing.
    await sshExec(target, 'systemctl poweroff', 15_000);
  }
  const deadline = started + timeoutMs;
  while ((await markedProcessTrees(marker)).length > 0) {
    if (Date.now() > deadline) throw new Error(`${host} did not power off within ${timeoutMs / 1000} s (log: ${info.stateDir}/hosts/${host}/boot.log)`);
    await sleep(100);
  }
  return { host, hard, seconds: (Date.now() - started) / 1000 };
}
