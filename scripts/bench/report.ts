/** Medians, ratios and the Markdown/terminal table of a bench run, plus the machine it ran on. */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import type { Measurement } from './measure.ts';

export const CONTENDERS = ['floor', 'lvsdr first', 'lvsdr no-change', 'lvsdr --check', 'ansible first', 'ansible no-change'] as const;
export type Contender = (typeof CONTENDERS)[number];

export type Samples = Map<Contender, Measurement[]>;

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export interface Row {
  contender: Contender;
  runs: number;
  wallS: number;
  cpuS: number;
  peakRssMb: number;
}

export function rows(samples: Samples): Row[] {
  return CONTENDERS.filter((c) => (samples.get(c)?.length ?? 0) > 0).map((c) => {
    const m = samples.get(c)!;
    return { contender: c, runs: m.length, wallS: median(m.map((x) => x.wallS)), cpuS: median(m.map((x) => x.cpuS)), peakRssMb: median(m.map((x) => x.peakRssMb)) };
  });
}

export interface Ratios {
  noChangeOverFloor?: number;
  firstOverFloor?: number;
  checkOverFloor?: number;
  ansibleOverLvsdrNoChange?: number;
  ansibleOverLvsdrFirst?: number;
}

export function ratios(r: Row[]): Ratios {
  const wall = (c: Contender) => r.find((x) => x.contender === c)?.wallS;
  const div = (a?: number, b?: number) => (a !== undefined && b ? a / b : undefined);
  return {
    noChangeOverFloor: div(wall('lvsdr no-change'), wall('floor')),
    firstOverFloor: div(wall('lvsdr first'), wall('floor')),
    checkOverFloor: div(wall('lvsdr --check'), wall('floor')),
    ansibleOverLvsdrNoChange: div(wall('ansible no-change'), wall('lvsdr no-change')),
    ansibleOverLvsdrFirst: div(wall('ansible first'), wall('lvsdr first')),
  };
}

const fmt = (v: number | undefined, digits = 2) => (v === undefined ? '–' : v.toFixed(digits));

export function resultTable(n: number, r: Row[]): string {
  const lines = [
    `| N = ${n} | runs | wall s (median) | controller CPU s | controller peak RSS MB |`,
    '|---|---:|---:|---:|---:|',
    ...r.map((x) => `| ${x.contender} | ${x.runs} | ${fmt(x.wallS)} | ${fmt(x.cpuS)} | ${fmt(x.peakRssMb, 0)} |`),
  ];
  return lines.join('\n');
}

/** The targets: issue 6's up to N = 100, issue 22's for a thousand hosts (ansible-playbook at forks = 50). */
function targets(n: number): { noChange: string; first: string; ansible: string } {
  return n >= 1000
    ? { noChange: '≤ 0.5', first: '≤ 0.8', ansible: '≥ 20 at N = 1000' }
    : { noChange: '≤ 1.0', first: '≤ 2.0', ansible: '≥ 10 at N = 20, ≥ 12 at N = 100' };
}

export function ratioLines(q: Ratios, n = 0): string {
  const t = targets(n);
  return [
    `- lvsdr no-change / floor: **${fmt(q.noChangeOverFloor)}** (target ${t.noChange})`,
    `- lvsdr first / floor: **${fmt(q.firstOverFloor)}** (target ${t.first})`,
    `- lvsdr --check / floor: ${fmt(q.checkOverFloor)}`,
    `- ansible / lvsdr, no-change: **${fmt(q.ansibleOverLvsdrNoChange, 1)}** (target ${t.ansible})`,
    `- ansible / lvsdr, first run: ${fmt(q.ansibleOverLvsdrFirst, 1)}`,
  ].join('\n');
}

function firstLine(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0].trim();
  } catch {
    return 'unknown';
  }
}

export function machineLines(): string[] {
  return [
    `- CPU: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
    `- memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- kernel: ${firstLine('uname', ['-sr'])}`,
    `- node: ${process.version}; OpenSSH: ${firstLine('sh', ['-c', 'ssh -V 2>&1'])}`,
    `- ansible: ${firstLine('ansible-playbook', ['--version'])}`,
  ];
}

export const loadLine = (when: string): string => `- load average ${when}: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (1/5/15 min)`;
