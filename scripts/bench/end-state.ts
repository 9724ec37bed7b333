/**
 * What "the same end state" means for the bench: on a sample of hosts, the ARP sysctl values, the
 * nat rules (iptables-save), the ARP rules (arptables-save), the addresses on lo, and which of the
 * persisted files and boot links exist — with comments and packet counters left out.
 */
import { sshExec } from '../../src/lab/lab-ssh.ts';
import { sshTarget, type LabInfo } from '../../src/lab/lab-info.ts';
import { sh } from '../../src/shell/quote.ts';

export type EndState = Record<string, string>;

function stateCommand(vip: string): string {
  const persisted = [
    '/etc/sysctl.d/90-lvsdr.conf',
    '/etc/iptables/rules.v4',
    '/etc/arptables.rules',
    `/etc/systemd/system/lvsdr-vip-${vip}.service`,
    `/etc/systemd/system/multi-user.target.wants/lvsdr-vip-${vip}.service`,
    '/etc/systemd/system/multi-user.target.wants/lvsdr-arptables-restore.service',
  ];
  return [
    sh`sysctl net.ipv4.conf.all.arp_ignore net.ipv4.conf.all.arp_announce`,
    sh`iptables-save -t nat | grep -v '^#' | sed 's/\\[[0-9]*:[0-9]*\\]//'`,
    sh`arptables-save | grep -v '^#' | sed 's/, pcnt=.*//'`,
    sh`ip -4 -o addr show dev lo | awk '{print $4}'`,
    sh`for f in ${persisted}; do if [ -e "$f" ]; then echo "$f present"; else echo "$f absent"; fi; done`,
  ].join('; ');
}

/** First, middle and last host. */
export function sampleHosts(lab: LabInfo): string[] {
  const names = lab.hosts.map((h) => h.name);
  return [...new Set([names[0], names[Math.floor(names.length / 2)], names[names.length - 1]])];
}

export async function readEndState(lab: LabInfo): Promise<EndState> {
  const state: EndState = {};
  for (const host of sampleHosts(lab)) {
    const r = await sshExec(sshTarget(lab, host), stateCommand(lab.vip), 60_000);
    if (r.code !== 0) throw new Error(`reading the end state of ${host} failed (exit ${r.code}): ${r.stderr}`);
    state[host] = r.stdout;
  }
  return state;
}

/** Differences as text, empty when both reached the same state. */
export function endStateDifferences(a: EndState, b: EndState, aName: string, bName: string): string[] {
  return Object.keys(a)
    .filter((host) => a[host] !== b[host])
    .map((host) => `${host}:\n--- ${aName}\n${a[host]}--- ${bName}\n${b[host]}`);
}
