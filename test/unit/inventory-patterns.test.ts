import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { UserError } from '../../src/core/errors.ts';
import { loadInventory } from '../../src/core/inventory/index.ts';
import { removeTrees, writeTree } from '../fixtures/inventory/write-tree.ts';

afterAll(removeTrees);

const root = writeTree({
  'hosts.yml': `
all:
  hosts:
    client.lab:
  children:
    directors:
      hosts:
        dir1.example.com:
        dir2.example.com:
    real_servers:
      hosts:
        rs[1:4].example.com:
    web:
      hosts:
        rs2.example.com:
        rs3.example.com:
        www.other.org:
    v6:
      hosts:
        "fe80::1":
`,
});
const inv = loadInventory([join(root, 'hosts.yml')]);

describe('Inventory.select', () => {
  it.each([
    ['all', ['client.lab', 'dir1.example.com', 'dir2.example.com', 'rs1.example.com', 'rs2.example.com', 'rs3.example.com', 'rs4.example.com', 'www.other.org', 'fe80::1']],
    ['*', ['client.lab', 'dir1.example.com', 'dir2.example.com', 'rs1.example.com', 'rs2.example.com', 'rs3.example.com', 'rs4.example.com', 'www.other.org', 'fe80::1']],
    ['directors', ['dir1.example.com', 'dir2.example.com']],
    ['ungrouped', ['client.lab']],
    ['rs4.example.com', ['rs4.example.com']],
    ['web:directors', ['dir1.example.com', 'dir2.example.com', 'rs2.example.com', 'rs3.example.com', 'www.other.org']],
    ['web,directors', ['dir1.example.com', 'dir2.example.com', 'rs2.example.com', 'rs3.example.com', 'www.other.org']],
    ['real_servers:&web', ['rs2.example.com', 'rs3.example.com']],
    ['real_servers:!web', ['rs1.example.com', 'rs4.example.com']],
    ['!web:real_servers', ['rs1.example.com', 'rs4.example.com']],
    ['&web', ['rs2.example.com', 'rs3.example.com', 'www.other.org']],
    ['!web', ['client.lab', 'dir1.example.com', 'dir2.example.com', 'rs1.example.com', 'rs4.example.com', 'fe80::1']],
    ['rs*', ['rs1.example.com', 'rs2.example.com', 'rs3.example.com', 'rs4.example.com']],
    ['*.example.com:!dir*', ['rs1.example.com', 'rs2.example.com', 'rs3.example.com', 'rs4.example.com']],
    ['rs[13].example.com', ['rs1.example.com', 'rs3.example.com']],
    ['rs?.example.com:&real_servers', ['rs1.example.com', 'rs2.example.com', 'rs3.example.com', 'rs4.example.com']],
    ['~(dir|rs)[12]\\.', ['dir1.example.com', 'dir2.example.com', 'rs1.example.com', 'rs2.example.com']],
    ['~real', ['rs1.example.com', 'rs2.example.com', 'rs3.example.com', 'rs4.example.com']],
    ['real_servers[0]', ['rs1.example.com']],
    ['real_servers[-1]', ['rs4.example.com']],
    ['real_servers[1:2]', ['rs2.example.com', 'rs3.example.com']],
    ['real_servers[2:]', ['rs3.example.com', 'rs4.example.com']],
    ['fe80::1', ['fe80::1']],
  ])('%s', (pattern, hosts) => {
    expect(inv.select(pattern)).toEqual(hosts);
  });

  it('returns inventory order whatever the order of the terms', () => {
    expect(inv.select('web:directors:client.lab')).toEqual(inv.select('client.lab,directors,web'));
  });

  it('selects nothing from a known but empty intersection, without an error', () => {
    expect(inv.select('directors:&web')).toEqual([]);
  });

  it('names every unknown term at once, with the closest name', () => {
    let err: unknown;
    try {
      inv.select('webb:directors:!real_server', { file: 'play.yml', line: 3, col: 10 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    const problems = (err as UserError).problems;
    expect(problems.map((p) => p.message)).toEqual([
      '"webb" in host pattern "webb:directors:!real_server" matches no group and no host',
      '"real_server" in host pattern "webb:directors:!real_server" matches no group and no host',
    ]);
    expect(problems[0].hint).toMatch(/^did you mean "web"\? groups are: all, directors, real_servers, web, v6/);
    expect(problems[1].hint).toMatch(/^did you mean "real_servers"\?/);
    expect(problems[0].pos).toEqual({ file: 'play.yml', line: 3, col: 10 });
  });

  it('rejects a wildcard that matches nothing, a bad regex, an empty pattern and a subscript past the end', () => {
    expect(() => inv.select('db*')).toThrow(/"db\*" in host pattern "db\*" matches no group and no host/);
    expect(() => inv.select('~rs(')).toThrow(/bad regular expression in host pattern "~rs\("/);
    expect(() => inv.select(' , ')).toThrow(/host pattern " , " is empty/);
    expect(() => inv.select('directors[5]')).toThrow(/"directors\[5\]" is past the end: "directors" has 2 hosts/);
    expect(() => inv.select('directors[:1]')).toThrow(/"directors\[:1\]": a slice with an open start or a negative bound selects no host in Ansible\n.*"directors\[0:1\]"/);
    expect(() => inv.select('directors[-2:]')).toThrow(/a slice with an open start or a negative bound[^]*"directors\[0:\]"/);
  });
});

describe("Ansible's implicit localhost", () => {
  it('answers localhost, 127.0.0.1 and ::1 when the inventory lacks them: connection local, all’s vars, in no group', async () => {
    const { loadInventory } = await import('../../src/core/inventory/index.ts');
    const { writeTree } = await import('../fixtures/inventory/write-tree.ts');
    const { join } = await import('node:path');
    const root = writeTree({ 'hosts.yml': 'all:\n  vars:\n    site: a\n  hosts:\n    rs1:\n', 'host_vars/localhost.yml': 'own: yes\n' });
    const inv = loadInventory([join(root, 'hosts.yml')]);
    expect(inv.select('localhost')).toEqual(['localhost']);
    expect(inv.select('rs1:127.0.0.1')).toEqual(['rs1', '127.0.0.1']);
    expect(inv.hosts.get('localhost')).toMatchObject({ groups: [], vars: { ansible_connection: 'local', site: 'a', own: true } });
    expect(inv.select('all')).toEqual(['rs1']);
  });
});

describe('--limit and the implicit localhost', () => {
  it('a limit does not make one: ansible-playbook --limit localhost then targets no host', async () => {
    const { loadInventory } = await import('../../src/core/inventory/index.ts');
    const { writeTree } = await import('../fixtures/inventory/write-tree.ts');
    const { join } = await import('node:path');
    const inv = loadInventory([join(writeTree({ 'hosts.yml': 'all:\n  hosts:\n    rs1:\n' }), 'hosts.yml')]);
    expect(() => inv.select('localhost', undefined, { implicitLocalhost: false })).toThrow(/"localhost" in host pattern "localhost" matches no group and no host/);
  });
});
