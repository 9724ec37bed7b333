/**
 * meta tasks on three hosts of this machine (ansible_connection: local), in check mode (no host
 * lock, nothing changed): which tasks and handlers ran on which host, and the recap, each as
 * ansible-playbook 2.14 ran test/fixtures/lang/meta.yml (its recap less the "Gathering Facts"
 * tasks it counts as ok: h1 ok=8 changed=2 skipped=1, h2 ok=7 changed=1 skipped=1, h3 ok=8
 * changed=2 failed=1).
 */
import { describe, expect, it } from 'vitest';
import { lvsdr } from '../support/cli.ts';

const FIXTURES = 'test/fixtures/lang';

const ran = (events: Record<string, any>[], task: string): string[] =>
  events.filter((e) => e.type === 'task:result' && e.task === task && e.status !== 'skipped').map((e) => e.host).sort();

describe('meta', () => {
  it('noop, flush_handlers, end_host, end_play, end_batch, clear_host_errors and clear_facts act as in Ansible', { timeout: 60_000 }, async () => {
    const r = await lvsdr('run', `${FIXTURES}/meta.yml`, '-i', `${FIXTURES}/inventory.yml`, '--check', '--no-record', '--json');
    expect(r.code, r.stderr).toBe(2);
    const events = r.events;
    // flush_handlers ran the handler on every host, before the task after it.
    expect(ran(events, 'handler')).toEqual(['h1', 'h2', 'h3']);
    expect(ran(events, 'after flush')).toEqual(['h1', 'h2', 'h3']);
    // end_host ended h2's part of the play: neither the next task nor the handler it notified ran there.
    expect(ran(events, 'after end_host')).toEqual(['h1', 'h3']);
    // end_play: nothing after it, not even the handlers notified before it; the next play runs.
    expect(ran(events, 'after end_play')).toEqual([]);
    // end_batch (serial: 1): each batch ends at it, and every batch runs.
    expect(ran(events, 'in batch')).toEqual(['h1', 'h2', 'h3']);
    expect(ran(events, 'after end_batch')).toEqual([]);
    // clear_facts: the facts the play gathered are gone.
    const facts = events.filter((e) => e.type === 'task:result' && e.task === 'facts').map((e) => e.reason);
    expect(facts).toEqual(['false', 'false', 'false']);
    const recap = r.events.find((e) => e.type === 'recap')!.stats;
    expect(recap.h1).toMatchObject({ ok: 6, changed: 2, skipped: 1, failed: 0 });
    expect(recap.h2).toMatchObject({ ok: 5, changed: 1, skipped: 1, failed: 0 });
    // h3 failed in the third play; clear_host_errors brought it back for the fifth.
    expect(recap.h3).toMatchObject({ ok: 6, changed: 2, skipped: 0, failed: 1 });
  });
});
