/**
 * The bench's "fresh server" case: the shipped real-server playbook (playbooks/realserver.yml,
 * lvs_arp_method=iptables), whose first task installs iptables and iptables-persistent from the
 * lab's local apt repository, against ansible-playbook doing the same job (ansible-fresh.yml) on N
 * systemd lab hosts (Debian flavor: each has its own dpkg database, so packages really install).
 * Before each first run every host is made fresh again: iptables-persistent and
 * netfilter-persistent purged, the saved rules and the nat rules gone. The no-change run after it
 * reads every package of the play in one probe; it is held to 1.2 × the OpenSSH floor.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LabInfo } from '../../src/lab/lab-info.ts';
import { sshTarget } from '../../src/lab/lab-info.ts';
import { sshExec } from '../../src/lab/lab-ssh.ts';
import { sh } from '../../src/shell/quote.ts';
import { CONNECT_TIMEOUT_S, floorCommand, REPO, writeAnsibleConfig, type Command } from './contenders.ts';
import { endStateDifferences, sampleHosts, type EndState } from './end-state.ts';
import type { Measurement } from './measure.ts';
import { rows, type Contender, type Row, type Samples } from './report.ts';
import { ansibleFirstAndNoChange, expectChanges, timed } from './rounds.ts';

/** Tasks of playbooks/realserver.yml that change a fresh host with the iptables method: the packages, the rule (saved, unit enabled). */
const LVSDR_CHANGING_TASKS = 2;
const LVSDR_PLAYBOOK = path.join(REPO, 'playbooks/realserver.yml');
const ANSIBLE_PLAYBOOK = path.join(REPO, 'scripts/bench/ansible-fresh.yml');

export interface FreshResult {
  n: number;
  rows: Row[];
  noChangeOverFloor?: number;
  endState: string;
}

const FRESH = sh`apt-get purge -y -q iptables-persistent netfilter-persistent >/dev/null && rm -f /etc/iptables/rules.v4 && iptables -w -t nat -F`;

const STATE = [
  sh`dpkg-query -W -f '\${Package} \${Status}\\n' iptables iptables-persistent netfilter-persistent 2>&1`,
  sh`iptables-save -t nat | grep '^-A'`,
  sh`grep '^-A' /etc/iptables/rules.v4 2>&1`,
  sh`systemctl is-enabled netfilter-persistent 2>&1`,
].join('; ');

async function onEveryHost(lab: LabInfo, command: string, what: string): Promise<void> {
  const results = await Promise.all(lab.hosts.map(async (h) => [h.name, await sshExec(sshTarget(lab, h.name), command, 300_000)] as const));
  const failed = results.filter(([, r]) => r.code !== 0);
  if (failed.length > 0) throw new Error(`${what} failed on ${failed.map(([n, r]) => `${n} (exit ${r.code}: ${r.stderr.trim().slice(-300)})`).join(', ')}`);
}

async function readFreshState(lab: LabInfo): Promise<EndState> {
  const state: EndState = {};
  for (const host of sampleHosts(lab)) state[host] = (await sshExec(sshTarget(lab, host), STATE, 60_000)).stdout;
  return state;
}

const INOTIFY_INSTANCES = '/proc/sys/fs/inotify/max_user_instances';
const INOTIFY_NEEDED = 8192;

/**
 * Each systemd lab host's PID 1 takes several inotify instances of root's 128 (the kernel's
 * default): with other labs up, the 13th of twenty hosts failed "Failed to allocate manager object:
 * Too many open files". The limit is raised (never lowered) before the hosts boot.
 */
export async function raiseInotifyLimit(log: (l: string) => void): Promise<void> {
  const current = Number((await readFile(INOTIFY_INSTANCES, 'utf8')).trim());
  if (current >= INOTIFY_NEEDED) return;
  await writeFile(INOTIFY_INSTANCES, String(INOTIFY_NEEDED));
  log(`fs.inotify.max_user_instances ${current} → ${INOTIFY_NEEDED}`);
}

export async function benchFresh(lab: LabInfo, work: string, runs: number, log: (l: string) => void): Promise<FreshResult> {
  const n = lab.hosts.length;
  const varsFile = path.join(work, 'fresh-vars.json');
  await writeFile(varsFile, JSON.stringify({ lvs_arp_method: 'iptables', lvs_interface: 'eth0', lvs_vips: [{ vip: lab.vip, ports: [80] }] }));
  const lvsdr: Command = { command: path.join(REPO, 'bin/lvsdr'), args: ['run', LVSDR_PLAYBOOK, '-i', lab.inventoryPath, '-e', `@${varsFile}`, '--connect-timeout', String(CONNECT_TIMEOUT_S)] };
  const controlDir = path.join(work, 'ansible-cp-fresh');
  await mkdir(controlDir, { recursive: true });
  const ansible: Command = { command: 'ansible-playbook', args: ['-i', lab.inventoryPath, '-e', `@${varsFile}`, ANSIBLE_PLAYBOOK], env: { ...process.env, ANSIBLE_CONFIG: await writeAnsibleConfig(work, lab, controlDir), ANSIBLE_NOCOLOR: '1' } };
  const fresh = () => onEveryHost(lab, FRESH.text, 'making the hosts fresh');

  const samples: Samples = new Map();
  const add = (c: Contender, m: Measurement) => samples.set(c, [...(samples.get(c) ?? []), m]);
  const differences: string[] = [];
  for (let round = 0; round < runs; round++) {
    log(`fresh N = ${n}: round ${round + 1}/${runs}`);
    add('floor', await timed('floor', floorCommand(lab), log));
    await fresh();
    const first = await timed('lvsdr first (fresh)', lvsdr, log);
    expectChanges('lvsdr first (fresh)', first, (c) => c === LVSDR_CHANGING_TASKS * n, `changed=${LVSDR_CHANGING_TASKS * n}`);
    const noChange = await timed('lvsdr no-change', lvsdr, log);
    expectChanges('lvsdr no-change', noChange, (c) => c === 0, 'changed=0');
    add('lvsdr first', first);
    add('lvsdr no-change', noChange);
    const lvsdrState = await readFreshState(lab);
    await fresh();
    const [aFirst, aNoChange] = await ansibleFirstAndNoChange(ansible, controlDir, log);
    add('ansible first', aFirst);
    add('ansible no-change', aNoChange);
    differences.push(...endStateDifferences(lvsdrState, await readFreshState(lab), 'lvsdr', 'ansible-playbook'));
  }
  const r = rows(samples);
  const wall = (c: Contender) => r.find((x) => x.contender === c)?.wallS;
  return { n, rows: r, noChangeOverFloor: (wall('lvsdr no-change') ?? 0) / (wall('floor') ?? 1), endState: differences.length === 0 ? 'same' : differences.join('\n') };
}

/** The Markdown lines of the result, beside the light-host sections in docs/BENCHMARKS.md. */
export function freshLines(r: FreshResult): string[] {
  const wall = (c: Contender) => r.rows.find((x) => x.contender === c)?.wallS;
  const ratio = (a?: number, b?: number) => (a !== undefined && b ? (a / b).toFixed(1) : '–');
  return [
    `- lvsdr no-change (package tasks included) / floor: **${r.noChangeOverFloor?.toFixed(2) ?? '–'}** (target ≤ 1.2)`,
    `- ansible / lvsdr, first run on fresh hosts: ${ratio(wall('ansible first'), wall('lvsdr first'))}; no-change: ${ratio(wall('ansible no-change'), wall('lvsdr no-change'))}`,
    `- same end state (packages, nat rules, saved rules, netfilter-persistent enabled; sampled hosts): ${r.endState === 'same' ? 'yes' : `**no**\n\n\`\`\`\n${r.endState}\n\`\`\``}`,
  ];
}
