/**
 * include_vars on this machine (ansible_connection: local), in check mode (it reads the controller
 * only, as in Ansible, so check mode runs it): what each debug task showed, as ansible-playbook 2.14
 * showed it for test/fixtures/lang/include-vars/site.yml.
 */
import { describe, expect, it } from 'vitest';
import { lvsdr } from '../support/cli.ts';

describe('include_vars', () => {
  it('loads a file, a named file and a directory with Ansible\'s search, order, depth and precedence', { timeout: 60_000 }, async () => {
    const r = await lvsdr('run', 'test/fixtures/lang/include-vars/site.yml', '-i', 'test/fixtures/lang/inventory.yml', '--check', '--no-record', '--json');
    expect(r.code, r.stderr).toBe(0);
    const shown = r.events.filter((e) => e.type === 'task:result' && e.module === 'debug').map((e) => e.reason);
    expect(shown).toEqual([
      '1 1-b',
      "{'c': 3} ['x.yml']",
      "one 2 3 4 ['10-a.yml', '20-b.yaml', '40.json', '30.yml']",
      'shallow: {"k1":"one","k2":2}',
      'fact',
      '2 fact',
    ]);
  });

  it('validate takes the variables include_vars defines (a directory\'s names only the run knows: later tasks are not checked)', async () => {
    const ok = await lvsdr('validate', 'test/fixtures/lang/include-vars/site.yml', '-i', 'test/fixtures/lang/inventory.yml');
    expect(ok.code, ok.stderr).toBe(0);
  });
});
