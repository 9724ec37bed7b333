/**
 * Finding and ending the lab's own processes. Each one carries a marker (`lvsdr-lab_NAME_HOST`) in
 * its argv, or runs inside a lab network namespace; they are ended by pid, never by a name pattern.
 */
import { readFileSync } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { sleep } from './run-command.ts';

interface ProcInfo {
  pid: number;
  ppid: number;
  argv: string[];
}

async function processTable(): Promise<ProcInfo[]> {
  const out: ProcInfo[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).split('\0').filter(Boolean);
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      out.push({ pid: Number(entry), ppid, argv });
    } catch {
      // the process ended while we read it
    }
  }
  return out;
}

/** Pids whose argv has an argument containing `markerPrefix`, and all their descendants. */
export async function markedProcessTrees(markerPrefix: string): Promise<number[]> {
  const table = await processTable();
  const marked = table.filter((p) =>
    p.argv.some((a) => a.includes(markerPrefix)),
  );
  const found = new Set(marked.map((p) => p.pid));
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of table) {
      if (!found.has(p.pid) && found.has(p.ppid)) {
        found.add(p.pid);
        grew = true;
      }
    }
  }
  return [...found];
}

/**
 * Pids running in network namespaces made by `ip netns add`, found in-process with one pass over
 * /proc (as `ip netns pids` does, without a process and a pass per namespace).
 */
export async function netnsPids(...netns: string[]): Promise<number[]> {
  const inodes = new Set<number>();
  for (const ns of netns) {
    try {
      inodes.add((await stat(`/run/netns/${ns}`)).ino);
    } catch {
      // no such namespace
    }
  }
  if (inodes.size === 0) return [];
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (inodes.has((await stat(`/proc/${entry}/ns/net`)).ino) && alive(Number(entry))) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

/** A zombie counts as gone: it has ended, and is only waiting for its parent (often PID 1) to reap it. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** SIGKILLs the given pids and waits (bounded) until they are gone. */
export async function killPids(pids: readonly number[], timeoutMs = 10_000): Promise<void> {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + timeoutMs;
  while (pids.some(alive) && Date.now() < deadline) await sleep(50);
}
