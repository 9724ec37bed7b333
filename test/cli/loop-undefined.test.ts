/**
 * A loop whose variable is undefined, on this machine (ansible_connection: local; debug tasks only):
 * skipped when the task's `when` is false, as ansible-core 2.14's TaskExecutor evaluates the
 * condition before raising the loop's error (checked with ansible-playbook on the same fixture:
 * ok=0 skipped=2 failed=1).
 */
import { describe, expect, it } from 'vitest';
import { lvsdr } from '../support/cli.ts';

describe('a loop over an undefined variable', () => {
  it('is skipped under a false when, and fails under a true one', { timeout: 60_000 }, async () => {
    const r = await lvsdr('run', 'test/fixtures/loops/undefined-loop.yml', '-i', 'test/fixtures/loops/inventory.yml', '--no-record', '--json');
    const results = r.events.filter((e) => e.type === 'task:result').map((e) => [e.task, e.status]);
    expect(results).toEqual([
      ['only when exclusive', 'skipped'],
      ['skipped, its loop never read', 'skipped'],
      ['fails on the undefined loop', 'failed'],
    ]);
    expect(r.events.find((e) => e.type === 'recap')!.stats.here).toMatchObject({ ok: 0, skipped: 2, failed: 1 });
  });
});
