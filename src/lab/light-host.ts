/**
 * A light host: a network namespace with a veth on the lab bridge, its own mount and UTS
 * namespaces, an overlay on /etc, tmpfs /run, /tmp and /root, running sshd (and the test web
 * service on a real server). No systemd: `systemctl enable` works offline, `start` does not.
 */
import { spawn } from 'node:child_process';
import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HostPlan } from './lab-names.ts';
import { hostObjectName, lightVethName } from './lab-names.ts';
import { killPids, netnsPids } from './lab-processes.ts';
import { runChecked, runCommand } from './run-command.ts';

const INIT_SCRIPT = fileURLToPath(new URL('./host-files/light-host-init.sh', import.meta.url));

export interface LightHostDirs {
  etcUpper: string;
  etcWork: string;
  log: string;
}

export function lightHostDirs(hostDir: string): LightHostDirs {
  return {
    etcUpper: path.join(hostDir, 'etc-upper'),
    etcWork: path.join(hostDir, 'etc-work'),
    log: path.join(hostDir, 'host.log'),
  };
}

export async function lightHostRunning(lab: string, host: string): Promise<boolean> {
  return (await netnsPids(hostObjectName(lab, host))).length > 0;
}

/** Starts a light host whose /etc upper layer is already written; leftovers of it are removed first. */
export async function startLightHost(lab: string, subnetIndex: number, bridge: string, host: HostPlan, hostDir: string): Promise<void> {
  const ns = hostObjectName(lab, host.name);
  await stopLightHost(lab, subnetIndex, host.name);
  const dirs = lightHostDirs(hostDir);
  await mkdir(dirs.etcWork, { recursive: true });
  const veth = lightVethName(subnetIndex, host.name);
  await runChecked('ip', ['netns', 'add', ns]);
  await runChecked('ip', ['link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
  await runChecked('ip', ['link', 'set', 'dev', veth, 'master', bridge, 'up']);
  await runChecked('ip', ['-n', ns, 'addr', 'add', `${host.address}/24`, 'dev', 'eth0']);
  await runChecked('ip', ['-n', ns, 'link', 'set', 'dev', 'eth0', 'up']);
  await runChecked('ip', ['-n', ns, 'link', 'set', 'dev', 'lo', 'up']);
  const log = await open(dirs.log, 'a');
  const child = spawn(
    'ip',
    ['netns', 'exec', ns, 'unshare', '-m', '-u', '--propagation', 'private', INIT_SCRIPT, ns, dirs.etcUpper, dirs.etcWork, host.name],
    { detached: true, stdio: ['ignore', log.fd, log.fd] },
  );
  child.unref();
  await log.close();
}

/** Ends the host's processes and removes its namespace (its veth goes with it); tolerates leftovers. */
export async function stopLightHost(lab: string, subnetIndex: number, host: string): Promise<void> {
  const ns = hostObjectName(lab, host);
  await killPids(await netnsPids(ns));
  await runCommand('ip', ['netns', 'del', ns]);
  await runCommand('ip', ['link', 'del', 'dev', lightVethName(subnetIndex, host)]);
}
