/**
 * pause on three hosts of this machine (ansible_connection: local): Ansible's pause action bypasses
 * the host loop, so the play's hosts pause once, together. Each host's command before and after the
 * pause prints the time; the pause's result is the first host's only, as in ansible-playbook.
 */
import { describe, expect, it } from 'vitest';
import { lvsdr, type CliRun } from '../support/cli.ts';

const run = (...flags: string[]) => lvsdr('run', 'test/fixtures/lang/pause-once.yml', '-i', 'test/fixtures/lang/inventory.yml', '--no-record', '--json', '-v', ...flags);

/** Each host's time (ns) printed by a command task. */
function times(r: CliRun, task: string): Map<string, bigint> {
  return new Map(r.events.filter((e) => e.type === 'task:result' && e.task === task).map((e) => [e.host, BigInt(e.stdout.trim())]));
}

const SECOND = 1_000_000_000n;

describe('pause', () => {
  it('waits once for every host of the batch, and only the host that ran it has its result', { timeout: 30_000 }, async () => {
    const r = await run();
    expect(r.code, r.stderr).toBe(0);
    const pauses = r.events.filter((e) => e.type === 'task:result' && e.task === 'wait once');
    expect(pauses).toHaveLength(1);
    const before = times(r, 'before');
    const after = times(r, 'after');
    const firstArrival = [...before.values()].reduce((a, b) => (a < b ? a : b));
    expect(after.size).toBe(3);
    // Every host went on only after the one pause: at least a second after the first host reached it, and within two.
    for (const [host, t] of after) {
      expect(t - firstArrival, host).toBeGreaterThanOrEqual(SECOND);
      expect(t - firstArrival, host).toBeLessThan(2n * SECOND);
    }
    const registered = r.events.filter((e) => e.type === 'task:result' && e.task === 'registered').map((e) => `${e.host}: ${e.reason}`).sort();
    // Ansible's stdout rounds the pause to two places: 1.0, or 1.01 on a busy machine.
    const paused = expect.stringMatching(/^Paused for 1\.\d{1,2} seconds$/);
    expect(registered).toEqual(['h1', 'h2', 'h3'].map((h) => (h === pauses[0].host ? expect.stringMatching(new RegExp(`^${h}: Paused for 1\\.\\d{1,2} seconds$`)) : `${h}: not registered`)));
    // With run_once, as in ansible-playbook, every host registers it; still only one counts it.
    const onAll = r.events.filter((e) => e.type === 'task:result' && e.task === 'registered on all').map((e) => e.reason);
    expect(onAll).toEqual([paused, paused, paused]);
    const recap = r.events.find((e) => e.type === 'recap')!.stats;
    const ran = (host: string) => r.events.filter((e) => e.type === 'task:result' && e.host === host && e.module === 'pause').length;
    for (const host of ['h1', 'h2', 'h3']) expect(recap[host].ok, host).toBe(4 + ran(host));
  });

  it('does not pause again for a host that reaches it after it ended', { timeout: 30_000 }, async () => {
    const r = await run('--forks', '1');
    expect(r.code, r.stderr).toBe(0);
    expect(r.events.filter((e) => e.type === 'task:result' && e.task === 'wait once')).toHaveLength(1);
    const before = times(r, 'before');
    const after = times(r, 'after');
    const waited = [...after].map(([host, t]) => t - before.get(host)!);
    // One host waited its second; the two after it, running one at a time, went straight on.
    expect(waited.filter((w) => w >= SECOND)).toHaveLength(1);
    expect(waited.filter((w) => w < SECOND / 2n)).toHaveLength(2);
  });
});
