/**
 * A lab of a thousand light hosts starts 3000 services (sshd, the web and UDP test services) on the
 * machine's cores at once, and they are still starting when their ports answer: measured then, every
 * contender's handshakes wait behind them (at N = 1000 a reset run right after `lab up`, load average
 * 44 and climbing to 117, lost 11 hosts to the 60 s connect timeout). The bench waits until the
 * machine is mostly idle again.
 */
import { readFileSync } from 'node:fs';
import { sleep } from '../../src/lab/run-command.ts';

/** Busy and total jiffies of all CPUs, from /proc/stat's first line. */
function cpuTimes(): { busy: number; total: number } {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const n = fields.map(Number);
  const total = n.reduce((a, b) => a + b, 0);
  const idle = n[3] + n[4]; // idle + iowait
  return { busy: total - idle, total };
}

/** Waits until the CPUs were at most `busyShare` busy over one `windowMs`, or `maxMs` passed; returns the last share. */
export async function waitUntilSettled(busyShare = 0.5, windowMs = 5_000, maxMs = 300_000): Promise<number> {
  const deadline = Date.now() + maxMs;
  let share = 1;
  while (Date.now() < deadline) {
    const a = cpuTimes();
    await sleep(windowMs);
    const b = cpuTimes();
    share = (b.busy - a.busy) / Math.max(1, b.total - a.total);
    if (share <= busyShare) break;
  }
  return share;
}
