/**
 * One timed run of a contender: wall time (from spawn to exit), controller CPU (user+sys of the
 * process and every descendant it waited for, from GNU time's rusage) and controller peak RSS
 * (the largest sum over the process tree, polled from /proc, or GNU time's %M if larger — the tree
 * sum matters for the floor and ansible, which fork a process per host).
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface Measurement {
  wallS: number;
  cpuS: number;
  peakRssMb: number;
  code: number;
  output: string;
}

const PAGE_KB = 4;
const POLL_MS = 100;

/** pid → [ppid, rss pages] for every process, read from /proc. */
function processTable(): Map<number, [number, number]> {
  const table = new Map<number, [number, number]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name is in parentheses and may hold spaces: fields count from the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(entry), [Number(fields[1]), Number(fields[21])]);
    } catch {
      // The process exited between readdir and read.
    }
  }
  return table;
}

function treeRssKb(root: number): number {
  const table = processTable();
  const children = new Map<number, number[]>();
  for (const [pid, [ppid]] of table) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  let total = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    total += (table.get(pid)?.[1] ?? 0) * PAGE_KB;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** Process groups of the contenders running now, so an interrupted bench stops them too. */
const running = new Set<number>();

/** Ctrl-C: each running contender's whole process group (ansible-playbook's workers outlive their parent). */
export function stopRunning(): void {
  for (const pgid of running) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

export async function measure(command: string, args: readonly string[], opts: { env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<Measurement> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lvsdr-bench-time-'));
  const timeFile = path.join(dir, 'time');
  try {
    const started = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-o', timeFile, '-f', '%U %S %M', command, ...args], {
      env: opts.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    if (child.pid) running.add(child.pid);
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.stdin.end(opts.input ?? '');
    let peakKb = 0;
    const poll = setInterval(() => {
      if (child.pid) peakKb = Math.max(peakKb, treeRssKb(child.pid));
    }, POLL_MS);
    const code = await new Promise<number>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (c) => resolve(c ?? 1));
    });
    clearInterval(poll);
    if (child.pid) running.delete(child.pid);
    const wallS = Number(process.hrtime.bigint() - started) / 1e9;
    const timeLines = (await readFile(timeFile, 'utf8')).trim().split('\n');
    const [user, sys, maxKb] = timeLines[timeLines.length - 1].split(' ').map(Number);
    return { wallS, cpuS: user + sys, peakRssMb: Math.max(peakKb, maxKb) / 1024, code, output };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
