/**
 * --start-at-task on three hosts of this machine (ansible_connection: local), in check mode (no
 * host lock): the tasks each host ran, in order, as ansible-playbook 2.14 ran them for the same file.
 */
import { describe, expect, it } from 'vitest';
import { lvsdr } from '../support/cli.ts';

describe('--start-at-task', () => {
  it('leaves out earlier plays and tasks; later batches and plays run from their start', { timeout: 60_000 }, async () => {
    const r = await lvsdr('run', 'test/fixtures/lang/start-at.yml', '-i', 'test/fixtures/lang/inventory.yml', '--check', '--no-record', '--json', '--start-at-task', 'three');
    expect(r.code, r.stderr).toBe(0);
    const ran = r.events.filter((e) => e.type === 'task:result').map((e) => `${e.host} ${e.task}`);
    expect(ran).toEqual(['h1 three', 'h1 four', 'h2 one', 'h2 two', 'h2 three', 'h2 four', 'h3 one', 'h3 two', 'h3 three', 'h3 four', 'h1 p3']);
  });
});
