/**
 * `environment` on this machine (ansible_connection: local), a real run: the commands see what
 * ansible-playbook 2.14's see for test/fixtures/lang/environment.yml (its first lines).
 */
import { describe, expect, it } from 'vitest';
import { lvsdr } from '../support/cli.ts';

describe('environment', () => {
  it('reaches command and shell, merged from the play, the block and the task', { timeout: 60_000 }, async () => {
    const r = await lvsdr('run', 'test/fixtures/lang/environment.yml', '-i', 'test/fixtures/lang/inventory.yml', '--no-record', '--json');
    expect(r.code, r.stderr).toBe(0);
    const shown = r.events.filter((e) => e.type === 'task:result' && e.module === 'debug').map((e) => e.reason);
    expect(shown).toEqual(['r.stdout: True|1|None|1.5|play|task|block', 'r2.stdout: x1|play', "r3.stdout: [a b'c $HOME]", 'r4.stdout: command']);
  });
});
