import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadInventory } from '../../src/core/inventory/index.ts';
import { removeTrees, writeTree } from '../fixtures/inventory/write-tree.ts';

afterAll(removeTrees);

const LVS = `
all:
  vars:
    ntp: pool.example.com
    tier: all
  hosts:
    lonely.example.com:
  children:
    lvs:
      vars:
        tier: lvs
      children:
        directors:
          hosts:
            dir1.example.com:
              ansible_host: 198.18.0.2
        real_servers:
          vars:
            tier: real_servers
          hosts:
            rs[01:03].example.com:
              ansible_user: deploy
            "rs9.example.com:2222":
    web:
      hosts:
        rs02.example.com:
`;

function load(files: Record<string, string>, entry = 'hosts.yml') {
  const root = writeTree(files);
  return { root, inv: loadInventory([join(root, entry)]) };
}

describe('loadInventory: structure', () => {
  const { inv } = load({ 'hosts.yml': LVS });

  it('lists hosts in the order they first appear, ranges expanded', () => {
    expect([...inv.hosts.keys()]).toEqual([
      'lonely.example.com',
      'dir1.example.com',
      'rs01.example.com',
      'rs02.example.com',
      'rs03.example.com',
      'rs9.example.com',
    ]);
  });

  it('nests children and hangs parentless groups under all', () => {
    expect(inv.groups.get('all')!.children).toEqual(['ungrouped', 'lvs', 'web']);
    expect(inv.groups.get('lvs')!.children).toEqual(['directors', 'real_servers']);
    expect(inv.groups.get('real_servers')!.hosts).toEqual(['rs01.example.com', 'rs02.example.com', 'rs03.example.com', 'rs9.example.com']);
  });

  it('puts hosts that are only in all into ungrouped', () => {
    expect(inv.groups.get('ungrouped')!.hosts).toEqual(['lonely.example.com']);
    expect(inv.hosts.get('lonely.example.com')!.groups).toEqual(['all', 'ungrouped']);
  });

  it('gives each host its groups with ancestors, parents before children', () => {
    expect(inv.hosts.get('rs02.example.com')!.groups).toEqual(['all', 'lvs', 'web', 'real_servers']);
  });

  it('keeps where each host and group was written', () => {
    expect(inv.hosts.get('rs02.example.com')!.pos).toMatchObject({ line: 21, col: 13 });
    expect(inv.groups.get('web')!.pos).toMatchObject({ line: 24, col: 5 });
  });

  it('reads the port of a name:port key as ansible_port', () => {
    expect(inv.hosts.get('rs9.example.com')!.vars).toMatchObject({ ansible_port: 2222, lvsdr_port: 2222 });
  });

  it('applies inline vars: all < parent < child < host', () => {
    expect(inv.hosts.get('lonely.example.com')!.vars).toEqual({ ntp: 'pool.example.com', tier: 'all' });
    expect(inv.hosts.get('dir1.example.com')!.vars.tier).toBe('lvs');
    expect(inv.hosts.get('rs01.example.com')!.vars).toMatchObject({ tier: 'real_servers', ansible_user: 'deploy' });
  });
});

describe('loadInventory: group_vars/ and host_vars/', () => {
  const files = {
    'hosts.yml': LVS,
    'group_vars/all.yml': 'ntp: ntp.internal\n',
    'group_vars/lvs.yaml': 'tier: lvs-file\n',
    'group_vars/web/10-main.yml': 'tier: web-file\nsite: a\n',
    'group_vars/web/20-more/site.yml': 'site: b\n',
    'group_vars/not_a_group.yml': 'tier: ignored\n',
    'host_vars/rs01.example.com.yml': 'ansible_user: admin\n',
    'host_vars/rs03.example.com': 'tier: host-file\n',
  };
  const { inv } = load(files);

  it('lets group_vars/all beat inline all vars', () => {
    expect(inv.hosts.get('lonely.example.com')!.vars.ntp).toBe('ntp.internal');
  });

  it('lets a group_vars file beat every inline group var, as in Ansible', () => {
    // real_servers' inline `tier` loses to lvs's file although real_servers is the child.
    expect(inv.hosts.get('rs01.example.com')!.vars.tier).toBe('lvs-file');
  });

  it('orders group_vars files child over parent, siblings by name', () => {
    expect(inv.hosts.get('rs02.example.com')!.vars.tier).toBe('web-file');
  });

  it('reads a group_vars directory recursively in sorted order', () => {
    expect(inv.groups.get('web')!.vars).toEqual({ tier: 'web-file', site: 'b' });
  });

  it('lets host_vars beat inline host vars, with or without an extension', () => {
    expect(inv.hosts.get('rs01.example.com')!.vars).toMatchObject({ ansible_user: 'admin', lvsdr_user: 'admin' });
    expect(inv.hosts.get('rs03.example.com')!.vars.tier).toBe('host-file');
  });

  it('keeps a host’s own vars apart from group vars, as written', () => {
    expect(inv.hosts.get('rs01.example.com')!.ownVars).toEqual({ ansible_user: 'admin' });
  });

  it('uses only the first of NAME, NAME.yml, NAME.yaml, NAME.json', () => {
    const { inv: inv2 } = load({
      'hosts.yml': 'web:\n  hosts:\n    w1:\n',
      'group_vars/web.yml': 'a: yml\n',
      'group_vars/web.yaml': 'a: yaml\nb: yaml\n',
    });
    expect(inv2.hosts.get('w1')!.vars).toEqual({ a: 'yml' });
  });
});

describe('loadInventory: precedence details', () => {
  it('orders sibling groups by name, later name winning, and honours ansible_group_priority', () => {
    const text = (prio: string) => `
a_group:
  vars: {testvar: a${prio}}
  hosts: {foohost: }
b_group:
  vars: {testvar: b}
  hosts: {foohost: }
`;
    expect(load({ 'hosts.yml': text('') }).inv.hosts.get('foohost')!.vars).toEqual({ testvar: 'b' });
    const prioritised = load({ 'hosts.yml': text(', ansible_group_priority: 10') }).inv.hosts.get('foohost')!;
    expect(prioritised.vars).toEqual({ testvar: 'a' });
  });

  it('lets a deeper group win over a shallower one whatever the names', () => {
    const { inv } = load({ 'hosts.yml': 'z:\n  vars: {v: z}\n  children:\n    a:\n      vars: {v: a}\n      hosts: {h: }\n' });
    expect(inv.hosts.get('h')!.vars.v).toBe('a');
  });

  it('merges a group or host written twice, later on top', () => {
    const { inv } = load({
      'hosts.yml': 'all:\n  hosts:\n    h: {a: 1, b: 1}\n  children:\n    g:\n      hosts:\n        h: {b: 2}\n',
    });
    expect(inv.hosts.get('h')!.vars).toEqual({ a: 1, b: 2 });
    expect(inv.groups.get('ungrouped')!.hosts).toEqual([]);
  });

  it('resolves YAML anchors and aliases', () => {
    const { inv } = load({
      'hosts.yml': 'all:\n  children:\n    a:\n      vars: &common {ntp: x}\n      hosts: {h1: }\n    b:\n      vars: *common\n      hosts: {h2: }\n',
    });
    expect(inv.hosts.get('h2')!.vars).toEqual({ ntp: 'x' });
  });
});

describe('loadInventory: several sources and directories', () => {
  it('merges several -i files in order', () => {
    const root = writeTree({
      'a.yml': 'web:\n  vars: {v: a}\n  hosts: {w1: }\n',
      'b.yml': 'web:\n  vars: {v: b}\n  hosts: {w2: }\n',
    });
    const inv = loadInventory([join(root, 'a.yml'), join(root, 'b.yml')]);
    expect(inv.select('web')).toEqual(['w1', 'w2']);
    expect(inv.hosts.get('w1')!.vars.v).toBe('b');
    expect(inv.sources).toEqual([join(root, 'a.yml'), join(root, 'b.yml')]);
  });

  it('loads every YAML file of a directory, in sorted order, with its group_vars/', () => {
    const root = writeTree({
      'inv/10-directors.yml': 'directors:\n  hosts: {dir1: }\n',
      'inv/20-real.yaml': 'real_servers:\n  hosts: {rs1: }\n',
      'inv/sub/30-more.yml': 'real_servers:\n  hosts: {rs2: }\n',
      'inv/README.md': '# not an inventory\n',
      'inv/group_vars/real_servers.yml': 'arp_method: arptables\n',
      'inv/host_vars/dir1.yml': 'role: director\n',
    });
    const inv = loadInventory([join(root, 'inv')]);
    expect([...inv.hosts.keys()]).toEqual(['dir1', 'rs1', 'rs2']);
    expect(inv.hosts.get('rs2')!.vars).toEqual({ arp_method: 'arptables' });
    expect(inv.hosts.get('dir1')!.vars).toEqual({ role: 'director' });
  });
});

describe('loadInventory: group_vars/ and host_vars/ beside the playbook', () => {
  const dir = 'test/fixtures/inventory/playbook-vars';

  it("puts them just above the inventory's of the same kind, as ansible-playbook does (site.yml's assert)", () => {
    const inv = loadInventory([`${dir}/inventory/hosts.yml`], { playbookDir: dir });
    expect(inv.hosts.get('h1')!.vars).toMatchObject({ v_all: 'pb_all', v_ab: 'pb_a', v_b: 'inv_b', v_host: 'pb_h', v_inline: 'inline' });
  });

  it('are not read without a playbook (lvsdr inventory, like ansible-inventory without --playbook-dir)', () => {
    const inv = loadInventory([`${dir}/inventory/hosts.yml`]);
    expect(inv.hosts.get('h1')!.vars).toMatchObject({ v_all: 'inv_all', v_ab: 'inv_b', v_host: 'inv_h' });
  });
});

describe('loadInventory: a host list (-i a,b:2222,)', () => {
  it("puts each host into ungrouped with its port, as Ansible's host_list plugin does", () => {
    const inv = loadInventory(['web1, 198.18.0.12:2222,[fd00::5]:22,']);
    expect(inv.groups.get('ungrouped')!.hosts).toEqual(['web1', '198.18.0.12', 'fd00::5']);
    expect(inv.hosts.get('198.18.0.12')!.vars.ansible_port).toBe(2222);
    expect(inv.hosts.get('fd00::5')!.vars.ansible_port).toBe(22);
    expect(inv.hosts.get('web1')!.vars.ansible_port).toBeUndefined();
  });

  it('reads a path with a comma that exists as a file', () => {
    const root = writeTree({ 'a,b.yml': 'all:\n  hosts:\n    filehost:\n' });
    expect([...loadInventory([join(root, 'a,b.yml')]).hosts.keys()]).toEqual(['filehost']);
  });
});
