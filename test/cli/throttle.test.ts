/**
 * throttle on three hosts of this machine (ansible_connection: local): a real run, as only running
 * commands shows who ran at once. Each host's command prints when it started and ended; at no
 * moment do more hosts than the throttle run the task (play: 1, block: 2, task: 1).
 */
import { describe, expect, it } from 'vitest';
import { TaskThrottle } from '../../src/core/executor/throttle.ts';
import { lvsdr } from '../support/cli.ts';

/** The most intervals [start, end] that overlap at one moment. */
function mostAtOnce(intervals: [bigint, bigint][]): number {
  const edges = intervals.flatMap(([s, e]) => [[s, 1], [e, -1]] as [bigint, number][]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
  let now = 0;
  let most = 0;
  for (const [, d] of edges) most = Math.max(most, (now += d));
  return most;
}

describe('throttle', () => {
  it('holds each task to its own, its block\'s or its play\'s limit of hosts at once', { timeout: 60_000 }, async () => {
    const r = await lvsdr('run', 'test/fixtures/lang/throttle.yml', '-i', 'test/fixtures/lang/inventory.yml', '--no-record', '--json', '-v');
    expect(r.code, r.stderr).toBe(0);
    const intervals = (task: string): [bigint, bigint][] =>
      r.events.filter((e) => e.type === 'task:result' && e.task === task).map((e) => e.stdout.trim().split('\n').map(BigInt) as [bigint, bigint]);
    for (const [task, limit] of [['play throttle', 1], ['block throttle', 2], ['task throttle', 1]] as const) {
      expect(intervals(task), task).toHaveLength(3);
      expect(mostAtOnce(intervals(task)), task).toBeLessThanOrEqual(limit);
    }
  });

  it('lets a waiting host take the slot the moment one frees, in the order they came', async () => {
    const throttle = new TaskThrottle(2);
    const log: string[] = [];
    let running = 0;
    let most = 0;
    const work = (name: string) => async () => {
      most = Math.max(most, ++running);
      log.push(`start ${name}`);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      log.push(`end ${name}`);
      return name;
    };
    const results = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((n) => throttle.run(work(n))));
    expect(results).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(most).toBe(2);
    expect(log.filter((l) => l.startsWith('start'))).toEqual(['start a', 'start b', 'start c', 'start d', 'start e']);
    // A failing task frees its slot too.
    await expect(throttle.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await throttle.run(async () => 'after')).toBe('after');
  });
});
