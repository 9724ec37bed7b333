/**
 * A module Ansible runs without check-mode support (AnsibleModule without supports_check_mode) is
 * skipped in a check run with Ansible's message, on this machine (ansible_connection: local),
 * as ansible-playbook 2.14 reports test/fixtures/check-mode/wait-for.yml: ok=0 skipped=1.
 */
import { describe, expect, it } from 'vitest';
import { lvsdr } from '../support/cli.ts';

describe('check mode and modules without it', () => {
  it('wait_for is skipped in --check, and runs otherwise', { timeout: 60_000 }, async () => {
    const args = ['test/fixtures/check-mode/wait-for.yml', '-i', 'test/fixtures/loops/inventory.yml', '--no-record', '--json'];
    const check = await lvsdr('run', ...args, '--check');
    const result = check.events.find((e) => e.type === 'task:result')!;
    expect([result.status, result.reason]).toEqual(['skipped', 'remote module (wait_for) does not support check mode']);
    const real = await lvsdr('run', ...args);
    expect(real.events.find((e) => e.type === 'task:result')!.status).toBe('ok');
  });
});
