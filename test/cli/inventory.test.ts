import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';

const LVS = 'test/fixtures/inventory/lvs/hosts.yml';

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('lvsdr inventory', () => {
  it('--graph draws the tree exactly as ansible-inventory 2.14 does: children, then hosts, in inventory order', async () => {
    const r = await cli('inventory', '-i', LVS, '--graph');
    expect(r).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        '@all:',
        '  |--@ungrouped:',
        '  |  |--client.lab',
        '  |--@lvs:',
        '  |  |--@directors:',
        '  |  |  |--dir1.lab',
        '  |  |--@real_servers:',
        '  |  |  |--rs01.lab',
        '  |  |  |--rs02.lab',
        '  |  |  |--rs03.lab',
        '',
      ].join('\n'),
    });
  });

  it('--graph GROUP starts the tree at that group; an unknown group is exit 4 with the closest name', async () => {
    expect((await cli('inventory', '-i', LVS, '--graph', 'directors')).stdout).toBe('@directors:\n  |--dir1.lab\n');
    const bad = await cli('inventory', '-i', LVS, '--graph', 'director');
    expect(bad.code).toBe(4);
    expect(bad.stderr).toMatch(/no group named "director" in the inventory\n {2}fix: did you mean "directors"\?/);
  });

  it('--list prints ansible-inventory JSON: sorted keys, 4-space indent, effective host vars', async () => {
    const r = await cli('inventory', '-i', LVS, '--list');
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout);
    expect(Object.keys(list)).toEqual(['_meta', 'all', 'directors', 'lvs', 'real_servers', 'ungrouped']);
    expect(list.all).toEqual({ children: ['ungrouped', 'lvs'] });
    expect(list.lvs).toEqual({ children: ['directors', 'real_servers'] });
    expect(list.real_servers).toEqual({ hosts: ['rs01.lab', 'rs02.lab', 'rs03.lab'] });
    expect(list._meta.hostvars['rs02.lab']).toEqual({
      ansible_host: '198.18.0.12',
      ansible_user: 'root',
      arp_method: 'sysctl',
      lvsdr_host: '198.18.0.12',
      lvsdr_user: 'root',
      vip: '198.18.0.100',
    });
    expect(r.stdout).toContain('\n    "_meta": {\n        "hostvars": {\n            "client.lab": {\n');
  });

  it('--list --export shows group vars under the groups and only own vars per host', async () => {
    const list = JSON.parse((await cli('inventory', '-i', LVS, '--list', '--export')).stdout);
    expect(list.real_servers.vars).toEqual({ arp_method: 'arptables' });
    // As written, as ansible-inventory --export shows them.
    expect(list.all.vars).toEqual({ ansible_user: 'root' });
    expect(list._meta.hostvars['rs01.lab']).toBeUndefined();
    expect(list._meta.hostvars['rs02.lab']).toEqual({ ansible_host: '198.18.0.12', arp_method: 'sysctl' });
  });

  it('--host prints one host’s effective vars', async () => {
    const r = await cli('inventory', '-i', LVS, '--host', 'rs01.lab');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      '{\n    "ansible_user": "root",\n    "arp_method": "arptables",\n    "lvsdr_user": "root",\n    "vip": "198.18.0.100"\n}\n',
    );
  });

  it('--host of an unknown host is exit 4 with the closest name', async () => {
    const r = await cli('inventory', '-i', LVS, '--host', 'rs1.lab');
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/no host named "rs1.lab" in the inventory\n {2}fix: did you mean "rs01.lab"\?/);
  });

  it.each([
    [["inventory", "--list"], /no inventory given\n  fix: name it with -i FILE/],
    [['inventory', '-i', LVS], /choose exactly one of --list, --graph, --host NAME/],
    [['inventory', '-i', LVS, '--list', '--graph'], /choose exactly one/],
    [['inventory', '-i', LVS, '--list', 'lvs'], /a GROUP argument goes with --graph only/],
    [['inventory', '-i', LVS, '--graph', '--export'], /--export goes with --list only/],
  ])('%j is a usage error, exit 4', async (args, message) => {
    const r = await cli(...args);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('a missing inventory file is exit 4 naming it', async () => {
    const r = await cli('inventory', '-i', 'test/fixtures/inventory/nope.yml', '--list');
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^inventory not found: test\/fixtures\/inventory\/nope\.yml\n {2}fix: check the path given to -i/);
  });
});
