import { afterAll, describe, expect, it } from 'vitest';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { connectionVars, loadInventory } from '../../src/core/inventory/index.ts';
import { removeTrees, writeTree } from '../fixtures/inventory/write-tree.ts';

afterAll(removeTrees);

function hostFrom(yaml: string, name: string, extra: Record<string, string> = {}) {
  const root = writeTree({ 'hosts.yml': yaml, ...extra });
  return loadInventory([join(root, 'hosts.yml')]).hosts.get(name)!;
}

describe('connection vars', () => {
  it('defaults the address to the inventory name and leaves the rest unset', () => {
    expect(connectionVars(hostFrom('all:\n  hosts:\n    rs1:\n', 'rs1'))).toEqual({ host: 'rs1' });
  });

  it('reads the ansible_* names, and old aliases, under both spellings', () => {
    const host = hostFrom(
      'all:\n  hosts:\n    rs1:\n      ansible_ssh_host: 198.18.0.11\n      ansible_port: "2222"\n      ansible_user: deploy\n      ansible_private_key_file: keys/rs1\n',
      'rs1',
    );
    expect(connectionVars(host)).toEqual({ host: '198.18.0.11', port: 2222, user: 'deploy', privateKeyFile: 'keys/rs1' });
    expect(host.vars).toMatchObject({
      ansible_host: '198.18.0.11',
      lvsdr_host: '198.18.0.11',
      ansible_port: 2222,
      lvsdr_port: 2222,
      ansible_ssh_private_key_file: 'keys/rs1',
      lvsdr_private_key_file: 'keys/rs1',
    });
  });

  // ansible -m ping on this inventory connected to 127.0.0.3:3 as groupuser (ansible-core 2.14).
  it('lets an ansible_ssh_* alias beat the plain name, even one set in a more specific place', () => {
    const host = hostFrom(
      'all:\n  vars:\n    ansible_ssh_host: 127.0.0.3\n    ansible_ssh_port: 3\n    ansible_ssh_user: groupuser\n  hosts:\n    h1:\n      ansible_host: 127.0.0.2\n      ansible_port: 2\n      ansible_user: hostuser\n',
      'h1',
    );
    expect(connectionVars(host)).toEqual({ host: '127.0.0.3', port: 3, user: 'groupuser' });
    expect(host.vars).toMatchObject({ ansible_host: '127.0.0.3', ansible_port: 3, ansible_user: 'groupuser' });
  });

  it('lets the alias beat the plain name in the same place, and ansible_ssh_private_key_file beat ansible_private_key_file', () => {
    const host = hostFrom(
      'all:\n  hosts:\n    h1:\n      ansible_user: plain\n      ansible_ssh_user: ssh\n      ansible_ssh_private_key_file: k/ssh\n      ansible_private_key_file: k/plain\n',
      'h1',
    );
    expect(connectionVars(host)).toEqual({ host: 'h1', user: 'ssh', privateKeyFile: 'k/ssh' });
  });

  it('lets lvsdr_* beat ansible_* in the same place', () => {
    const host = hostFrom('all:\n  hosts:\n    rs1:\n      ansible_user: a\n      lvsdr_user: b\n', 'rs1');
    expect(host.vars).toMatchObject({ ansible_user: 'b', lvsdr_user: 'b' });
    expect(connectionVars(hostFrom('all:\n  hosts:\n    rs1:\n      ansible_ssh_user: a\n      lvsdr_user: b\n', 'rs1')).user).toBe('b');
  });

  it('lets the more specific place win whichever spelling it uses', () => {
    const host = hostFrom(
      'all:\n  vars:\n    lvsdr_user: group-user\n    ansible_port: 22\n  hosts:\n    rs1:\n      ansible_user: host-user\n',
      'rs1',
      { 'host_vars/rs1.yml': 'lvsdr_port: 2200\n' },
    );
    expect(connectionVars(host)).toEqual({ host: 'rs1', port: 2200, user: 'host-user' });
    expect(host.vars).toMatchObject({ ansible_port: 2200, ansible_user: 'host-user', lvsdr_user: 'host-user' });
  });

  it('expands ~/ in key and known_hosts files', () => {
    const host = hostFrom(
      'all:\n  vars:\n    ansible_ssh_private_key_file: ~/.ssh/lab\n    lvsdr_known_hosts_file: lab/known_hosts\n  hosts:\n    rs1:\n',
      'rs1',
    );
    expect(connectionVars(host)).toEqual({
      host: 'rs1',
      privateKeyFile: join(homedir(), '.ssh/lab'),
      knownHostsFile: 'lab/known_hosts',
    });
  });
});
