/**
 * A systemd host: an overlay of the machine's `/` (per-host upper layer) booted by systemd-nspawn
 * with real systemd as PID 1, under a boot loop that makes `systemctl reboot` a real reboot
 * (fresh network namespace, runtime state gone, /etc kept).
 */
import { spawn } from 'node:child_process';
import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hostObjectName, machineName } from './lab-names.ts';
import { killPids, markedProcessTrees } from './lab-processes.ts';
import { mountsUnder } from './lab-mounts.ts';
import { LAB_REPO_MOUNT } from './lab-repo.ts';
import { runChecked, runCommand, sleep } from './run-command.ts';

const BOOT_LOOP = fileURLToPath(new URL('./boot-loop.ts', import.meta.url));

export interface SystemdHostDirs {
  upper: string;
  work: string;
  root: string;
  log: string;
}

export function systemdHostDirs(hostDir: string): SystemdHostDirs {
  return {
    upper: path.join(hostDir, 'upper'),
    work: path.join(hostDir, 'work'),
    root: path.join(hostDir, 'root'),
    log: path.join(hostDir, 'boot.log'),
  };
}

/** Mounts the host's root overlay unless it is mounted; the mount's source names the host. */
export async function mountHostRoot(lab: string, host: string, hostDir: string): Promise<string> {
  const d = systemdHostDirs(hostDir);
  if ((await mountsUnder(d.root)).includes(d.root)) return d.root;
  for (const dir of [d.upper, d.work, d.root]) await mkdir(dir, { recursive: true });
  await runChecked('mount', [
    '-t', 'overlay', hostObjectName(lab, host),
    '-o', `lowerdir=/,upperdir=${d.upper},workdir=${d.work}`,
    d.root,
  ]);
  return d.root;
}

export async function systemdHostRunning(lab: string, host: string): Promise<boolean> {
  return (await markedProcessTrees(hostObjectName(lab, host))).length > 0;
}

/**
 * Boots the host under its boot loop (detached; it outlives the `lab up` that started it). `extraNic`:
 * a second NIC, eth1 inside, whose machine side the boot loop puts on that bridge at every boot.
 */
export async function bootSystemdHost(
  lab: string,
  subnetIndex: number,
  bridge: string,
  host: string,
  hostDir: string,
  repoDir: string,
  extraNic?: { outer: string; bridge: string },
): Promise<void> {
  const d = systemdHostDirs(hostDir);
  const marker = hostObjectName(lab, host);
  const nspawn = [
    'systemd-nspawn', '--quiet',
    '-D', d.root,
    '-M', machineName(subnetIndex, host),
    '--boot',
    `--network-bridge=${bridge}`,
    '--register=no', '--keep-unit', '--link-journal=no',
    '--console=read-only', '--resolv-conf=off', '--timezone=off',
    `--setenv=LVSDR_LAB=${marker}`,
    `--bind-ro=${repoDir}:${LAB_REPO_MOUNT}`,
    ...(extraNic ? [`--network-veth-extra=${extraNic.outer}:eth1`] : []),
  ];
  const log = await open(d.log, 'a');
  const attach = extraNic ? ['--attach', `${extraNic.outer}=${extraNic.bridge}`] : [];
  const child = spawn(process.execPath, [BOOT_LOOP, marker, ...attach, '--', ...nspawn], {
    detached: true,
    stdio: ['ignore', log.fd, log.fd],
  });
  child.unref();
  await log.close();
}

/** Ends the boot loop, nspawn and everything in the container, then unmounts the root. */
export async function stopSystemdHost(lab: string, host: string, hostDir: string | undefined): Promise<void> {
  await killPids(await markedProcessTrees(hostObjectName(lab, host)));
  if (hostDir) await unmountAll(systemdHostDirs(hostDir).root);
}

/** Unmounts a mount point and anything below it, deepest first; lazily if still busy after retries. */
export async function unmountAll(mountPoint: string): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const mounted = (await mountsUnder(mountPoint)).sort((a, b) => b.length - a.length);
    if (mounted.length === 0) return;
    for (const m of mounted) {
      const r = await runCommand('umount', [m]);
      if (r.code !== 0 && attempt >= 10) await runCommand('umount', ['-l', m]);
    }
    await sleep(100);
  }
}
