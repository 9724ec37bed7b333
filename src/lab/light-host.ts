/**
 * A light host: a network namespace with a veth on the lab bridge, its own mount and UTS
 * namespaces, an overlay on /etc, tmpfs /run, /tmp and /root, running sshd (and the test web
 * service on a real server). No systemd: `systemctl enable` works offline, `start` does not.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HostPlan } from './lab-names.ts';
import { hostCidr, hostObjectName, lightVethName } from './lab-names.ts';
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

export interface LightHostStart {
  plan: HostPlan;
  /** The host's state directory, its /etc upper layer already written. */
  dir: string;
}

/**
 * Starts light hosts (their leftovers removed first), all at once. Namespaces and veths for all of
 * them are made by one `ip -batch`: a process per `ip` command costs more than the kernel work when
 * a hundred hosts come up on two busy cores. Each host's init script sets its own address.
 */
export async function startLightHosts(lab: string, subnetIndex: number, bridge: string, hosts: readonly LightHostStart[]): Promise<void> {
  if (hosts.length === 0) return;
  for (const h of hosts) {
    if (existsSync(`/run/netns/${hostObjectName(lab, h.plan.name)}`) || existsSync(`/sys/class/net/${lightVethName(subnetIndex, h.plan.name)}`)) {
      await stopLightHost(lab, subnetIndex, h.plan.name);
    }
  }
  const batch = hosts.flatMap((h) => {
    const ns = hostObjectName(lab, h.plan.name);
    const veth = lightVethName(subnetIndex, h.plan.name);
    return [`netns add ${ns}`, `link add ${veth} type veth peer name eth0 netns ${ns}`, `link set dev ${veth} master ${bridge} up`];
  });
  await runChecked('ip', ['-batch', '-'], { input: batch.join('\n') + '\n' });
  const starts = await Promise.all(
    hosts.map(async (h) => {
      const dirs = lightHostDirs(h.dir);
      await mkdir(dirs.etcWork, { recursive: true });
      const routes = (h.plan.routes ?? []).flatMap((r) => [r.to, r.via]).join(' ');
      return [hostObjectName(lab, h.plan.name), dirs.etcUpper, dirs.etcWork, h.plan.name, hostCidr(h.plan), routes, dirs.log];
    }),
  );
  for (let i = 0; i < starts.length; i += START_CHUNK) {
    await runChecked('sh', ['-c', START_LOOP, 'sh', INIT_SCRIPT, ...starts.slice(i, i + START_CHUNK).flat()]);
  }
}

/**
 * One shell starts a chunk of hosts, each in the background in a session of its own: Node forks its
 * whole process for every spawn (~60 ms each on two busy cores, 18 s for 300 hosts), a small shell
 * does it in about a millisecond. The values are its arguments, never shell text; seven a host.
 */
const START_LOOP = `init=$1; shift
while [ $# -ge 7 ]; do
  setsid ip netns exec "$1" unshare -m -u --propagation private "$init" "$1" "$2" "$3" "$4" "$5" "$6" </dev/null >>"$7" 2>&1 &
  shift 7
done`;
/** Hosts a start shell takes at once: their arguments stay well under the kernel's limit of a command line. */
const START_CHUNK = 200;

/** Ends the host's processes and removes its namespace (its veth goes with it); tolerates leftovers. */
export async function stopLightHost(lab: string, subnetIndex: number, host: string): Promise<void> {
  const ns = hostObjectName(lab, host);
  await killPids(await netnsPids(ns));
  if (existsSync(`/run/netns/${ns}`)) await runCommand('ip', ['netns', 'del', ns]);
  const veth = lightVethName(subnetIndex, host);
  if (existsSync(`/sys/class/net/${veth}`)) await runCommand('ip', ['link', 'del', 'dev', veth]);
}
