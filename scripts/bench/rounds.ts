/**
 * The rounds on one lab: a warm-up (untimed), then `runs` rounds in which the contenders take
 * turns, the order reversed every other round so neither always runs on a machine the other just
 * warmed or loaded. Every timed run is checked: exit 0, and the changes it should have made (a
 * first run changes everything, the no-change run and the check nothing).
 */
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LabInfo } from '../../src/lab/lab-info.ts';
import { sshExec } from '../../src/lab/lab-ssh.ts';
import { sshTarget } from '../../src/lab/lab-info.ts';
import { runCommand } from '../../src/lab/run-command.ts';
import { ansibleCommand, ansibleForks, floorCommand, lvsdrCommand, writeAnsibleConfig, type Command, type LvsdrMode } from './contenders.ts';
import { endStateDifferences, readEndState } from './end-state.ts';
import { measure, type Measurement } from './measure.ts';
import { ratios, rows, type Contender, type Ratios, type Row, type Samples } from './report.ts';

/** Tasks of lvsdr-realserver.yml that change a fresh host (the VIP removal is skipped). */
const LVSDR_CHANGING_TASKS = 5;

export interface LabResult {
  n: number;
  rows: Row[];
  ratios: Ratios;
  /** 'same' or the differences found on the sampled hosts. */
  endState: string;
  loadBefore?: string;
  loadAfter?: string;
  /** A wide lab: lvsdr's no-change run under `ulimit -n 256`, default forks. */
  lowDescriptors?: string;
}

/** Descriptors a run over a wide lab gets (soft and hard, so bin/lvsdr cannot raise it). */
const LOW_NOFILE = 256;

interface Recap {
  changed: number;
  failed: number;
  unreachable: number;
}

/** Sums the per-host recap lines (lvsdr and ansible print the same `host : ok=… changed=…` shape). */
export function parseRecap(output: string): Recap {
  const recap = { changed: 0, failed: 0, unreachable: 0 };
  for (const line of output.split('\n')) {
    if (!/^\S+\s+:\s+ok=\d+/.test(line) || line.startsWith('total')) continue;
    for (const key of ['changed', 'failed', 'unreachable'] as const) recap[key] += Number(line.match(new RegExp(`${key}=(\\d+)`))?.[1] ?? 0);
  }
  return recap;
}

export async function timed(what: string, cmd: Command, log: (l: string) => void): Promise<Measurement> {
  const m = await measure(cmd.command, cmd.args, { env: cmd.env, input: cmd.input });
  log(`${what}: ${m.wallS.toFixed(2)} s wall, ${m.cpuS.toFixed(2)} s CPU, ${m.peakRssMb.toFixed(0)} MB`);
  if (m.code !== 0) throw new Error(`${what} exited ${m.code}:\n${m.output.slice(-4000)}`);
  return m;
}

export function expectChanges(what: string, m: Measurement, expected: (changed: number) => boolean, wanted: string): void {
  const recap = parseRecap(m.output);
  if (recap.failed > 0 || recap.unreachable > 0 || !expected(recap.changed)) {
    throw new Error(`${what}: expected ${wanted}, got changed=${recap.changed} failed=${recap.failed} unreachable=${recap.unreachable}:\n${m.output.slice(-4000)}`);
  }
}

/** Ansible leaves ControlPersist masters behind; they go before the next contender runs. */
async function closeControlMasters(controlDir: string): Promise<void> {
  for (const socket of await readdir(controlDir)) {
    await runCommand('ssh', ['-F', '/dev/null', '-o', `ControlPath=${path.join(controlDir, socket)}`, '-O', 'exit', 'bench'], { timeoutMs: 10_000 });
  }
}

/** ansible-playbook's first run (it must change something), then its no-change run; its ControlMaster sockets closed after each. */
export async function ansibleFirstAndNoChange(cmd: Command, controlDir: string, log: (l: string) => void): Promise<[Measurement, Measurement]> {
  const first = await timed('ansible first', cmd, log);
  expectChanges('ansible first', first, (c) => c > 0, 'changes');
  await closeControlMasters(controlDir);
  const noChange = await timed('ansible no-change', cmd, log);
  expectChanges('ansible no-change', noChange, (c) => c === 0, 'changed=0');
  await closeControlMasters(controlDir);
  return [first, noChange];
}

export interface BenchOptions {
  ansibleRuns: number;
  /** Ansible's no-change run only, on lvsdr's end state (a wide lab: one of its runs takes ~10 minutes at N = 1000). */
  ansibleNoChangeOnly: boolean;
  log: (l: string) => void;
}

export async function benchLab(lab: LabInfo, work: string, runs: number, opts: BenchOptions): Promise<LabResult> {
  const { log } = opts;
  const n = lab.hosts.length;
  const varsFile = path.join(work, 'vars.json');
  const lvsVips = [{ vip: lab.vip, ports: [80] }];
  await writeFile(varsFile, JSON.stringify({ lvs_interface: 'eth0', lvs_vips: lvsVips }));
  const samples: Samples = new Map();
  const add = (c: Contender, m: Measurement) => samples.set(c, [...(samples.get(c) ?? []), m]);
  const lvsdr = (mode: LvsdrMode) => lvsdrCommand(lab, varsFile, mode);
  const reset = async () => {
    const m = await measure(lvsdr('reset').command, lvsdr('reset').args);
    if (m.code !== 0) {
      // at N = 1000 the tail is only recap rows: the lines naming what went wrong come first
      const problems = m.output.split('\n').filter((l) => /unreachable=[1-9]|failed=[1-9]|UNREACHABLE|FAILED|fatal|error/i.test(l));
      throw new Error(`resetting the hosts (lvs_state=absent) failed:\n${problems.slice(0, 40).join('\n')}\n…\n${m.output.slice(-1000)}`);
    }
  };

  log(`N = ${n}: warm-up (reset, first run, end state)`);
  await reset();
  expectChanges('warm-up', await timed('warm-up lvsdr first', lvsdr('first'), log), (c) => c === LVSDR_CHANGING_TASKS * n, `changed=${LVSDR_CHANGING_TASKS * n}`);
  const lvsdrState = await readEndState(lab);
  // Ansible writes the very unit files lvsdr writes, read back from a host.
  const unitText = async (unit: string) => (await sshExec(sshTarget(lab, lab.hosts[0].name), `cat /etc/systemd/system/${unit}`, 30_000)).stdout;
  const ansibleVars = path.join(work, 'ansible-vars.json');
  await writeFile(
    ansibleVars,
    JSON.stringify({
      lvs_vips: lvsVips,
      bench_vip_units: { [lab.vip]: await unitText(`lvsdr-vip-${lab.vip}.service`) },
      bench_arptables_unit: await unitText('lvsdr-arptables-restore.service'),
    }),
  );
  await reset();
  const controlDir = path.join(work, 'ansible-cp');
  await runCommand('mkdir', ['-p', controlDir]);
  const ansibleConfig = await writeAnsibleConfig(work, lab, controlDir);

  const endStates: string[] = [];
  let round = 0;
  const contenders: Record<'floor' | 'lvsdr' | 'ansible', () => Promise<void>> = {
    floor: async () => {
      add('floor', await timed('floor', floorCommand(lab), log));
    },
    lvsdr: async () => {
      const first = await timed('lvsdr first', lvsdr('first'), log);
      expectChanges('lvsdr first', first, (c) => c === LVSDR_CHANGING_TASKS * n, `changed=${LVSDR_CHANGING_TASKS * n}`);
      const noChange = await timed('lvsdr no-change', lvsdr('no-change'), log);
      expectChanges('lvsdr no-change', noChange, (c) => c === 0, 'changed=0');
      const check = await timed('lvsdr --check', lvsdr('check'), log);
      expectChanges('lvsdr --check', check, (c) => c === 0, 'changed=0');
      add('lvsdr first', first);
      add('lvsdr no-change', noChange);
      add('lvsdr --check', check);
      await reset();
    },
    ansible: async () => {
      if (round >= opts.ansibleRuns) return;
      const cmd = ansibleCommand(lab, ansibleVars, ansibleConfig);
      if (opts.ansibleNoChangeOnly) {
        // on the end state lvsdr's first run leaves: changed=0 is Ansible agreeing with it on every host
        expectChanges('untimed lvsdr first', await timed('untimed lvsdr first (for ansible)', lvsdr('first'), log), (c) => c === LVSDR_CHANGING_TASKS * n, `changed=${LVSDR_CHANGING_TASKS * n}`);
        const noChange = await timed(`ansible no-change (forks ${ansibleForks(n)})`, cmd, log);
        expectChanges('ansible no-change', noChange, (c) => c === 0, 'changed=0');
        await closeControlMasters(controlDir);
        add('ansible no-change', noChange);
        await reset();
        return;
      }
      const [first, noChange] = await ansibleFirstAndNoChange(cmd, controlDir, log);
      add('ansible first', first);
      add('ansible no-change', noChange);
      endStates.push(...endStateDifferences(lvsdrState, await readEndState(lab), 'lvsdr', 'ansible-playbook'));
      await reset();
    },
  };
  for (; round < runs; round++) {
    const order = round % 2 === 0 ? (['floor', 'lvsdr', 'ansible'] as const) : (['ansible', 'lvsdr', 'floor'] as const);
    log(`N = ${n}: round ${round + 1}/${runs} (${order.join(', ')})`);
    for (const c of order) await contenders[c]();
  }
  let lowDescriptors: string | undefined;
  if (opts.ansibleNoChangeOnly) {
    await timed('untimed lvsdr first (for the low limit)', lvsdr('first'), log);
    const cmd = lvsdr('no-change');
    const m = await timed(`lvsdr no-change, ulimit -n ${LOW_NOFILE}`, { command: '/bin/sh', args: ['-c', `ulimit -n ${LOW_NOFILE} && exec /bin/sh "$0" "$@"`, ...cmd.args] }, log);
    const recap = parseRecap(m.output);
    const hosts = m.output.split('\n').filter((l) => /^\S+\s+:\s+ok=\d+/.test(l) && !l.startsWith('total')).length;
    lowDescriptors = `- lvsdr no-change under \`ulimit -n ${LOW_NOFILE}\`, default forks: ${hosts} of ${n} hosts in the recap, unreachable=${recap.unreachable}, failed=${recap.failed}, changed=${recap.changed}; ${m.wallS.toFixed(2)} s wall, ${m.peakRssMb.toFixed(0)} MB`;
    expectChanges(`lvsdr no-change, ulimit -n ${LOW_NOFILE}`, m, (c) => c === 0 && hosts === n, `changed=0 on all ${n} hosts`);
  }
  const r = rows(samples);
  return { n, rows: r, ...(lowDescriptors ? { lowDescriptors } : {}), ratios: ratios(r), endState: opts.ansibleRuns === 0 ? 'not compared (ansible-playbook did not run)' : opts.ansibleNoChangeOnly ? 'every host: ansible-playbook changed nothing on lvsdr\'s end state' : endStates.length === 0 ? 'same' : endStates.join('\n') };
}
