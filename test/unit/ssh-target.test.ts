import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import SSHConfig from 'ssh-config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.ts';
import { resolveTarget } from '../../src/connection/ssh-target.ts';

const home = mkdtempSync(join(tmpdir(), 'lvsdr-home-'));
const savedHome = process.env.HOME;
beforeAll(() => {
  process.env.HOME = home;
  mkdirSync(join(home, '.ssh'));
  writeFileSync(join(home, '.ssh', 'id_ed25519'), 'x');
  writeFileSync(join(home, '.ssh', 'id_rsa'), 'x');
});
afterAll(() => {
  process.env.HOME = savedHome;
  rmSync(home, { recursive: true, force: true });
});

const sshConfig = SSHConfig.parse(`
Host rs1 198.18.0.21
  HostName 198.18.0.11
  User cfg-user
  Port 2200
  IdentityFile /keys/from-config

Host rs2
  ProxyJump jumper@bastion:2022

Host bastion
  HostName 198.18.0.1
  IdentityFile /keys/bastion
`);

const base = { sshConfig, agentSocket: '' };

describe('resolveTarget', () => {
  it('takes HostName, User, Port and IdentityFile from ssh config when nothing else says', () => {
    const t = resolveTarget('rs1', {}, base);
    expect(t).toMatchObject({ name: 'rs1', host: '198.18.0.11', port: 2200, user: 'cfg-user', privateKeyFiles: ['/keys/from-config'] });
    expect(t.knownHostsFile).toBe(join(home, '.ssh', 'known_hosts'));
    expect(t.acceptNewHostKeys).toBe(false);
    expect(t.connectTimeoutMs).toBe(10_000);
  });

  it('lets inventory vars override ssh config, and CLI flags override both', () => {
    const vars = {
      ansible_port: 2201,
      ansible_user: 'inv-user',
      ansible_ssh_private_key_file: '/keys/from-inventory',
      lvsdr_known_hosts_file: '/inv/known_hosts',
    };
    const fromInventory = resolveTarget('rs1', vars, base);
    expect(fromInventory).toMatchObject({
      port: 2201,
      user: 'inv-user',
      privateKeyFiles: ['/keys/from-inventory', '/keys/from-config'],
      knownHostsFile: '/inv/known_hosts',
    });
    const fromCli = resolveTarget('rs1', vars, {
      ...base,
      user: 'cli-user',
      privateKeyFile: '/keys/from-cli',
      knownHostsFile: '/cli/known_hosts',
      acceptNewHostKeys: true,
    });
    expect(fromCli).toMatchObject({
      user: 'cli-user',
      privateKeyFiles: ['/keys/from-cli', '/keys/from-inventory', '/keys/from-config'],
      knownHostsFile: '/cli/known_hosts',
      acceptNewHostKeys: true,
    });
  });

  it('looks the ssh config up under ansible_host, as ssh sees it', () => {
    expect(resolveTarget('web', { ansible_host: '198.18.0.21' }, base)).toMatchObject({ host: '198.18.0.11', user: 'cfg-user' });
    expect(resolveTarget('web', { ansible_host: '198.18.0.30' }, base)).toMatchObject({ host: '198.18.0.30', port: 22 });
    expect(resolveTarget('web', { lvsdr_host: '198.18.0.31', lvsdr_port: '2222' }, base)).toMatchObject({ host: '198.18.0.31', port: 2222 });
  });

  it('falls back to the local user, ssh-agent and the default keys that exist', () => {
    const t = resolveTarget('db', {}, { sshConfig, agentSocket: '/run/agent.sock' });
    expect(t.user).toBe(userInfo().username);
    expect(t.privateKeyFiles).toEqual([]);
    expect(t.agentSocket).toBe('/run/agent.sock');
    expect(t.defaultKeyFiles).toEqual([join(home, '.ssh', 'id_ed25519'), join(home, '.ssh', 'id_rsa')]);
  });

  it('resolves ProxyJump hops through the ssh config, sharing the host key policy', () => {
    const t = resolveTarget('rs2', {}, { ...base, knownHostsFile: '/k', acceptNewHostKeys: true, becomePassword: 'pw' });
    expect(t.proxyJump).toHaveLength(1);
    expect(t.proxyJump![0]).toMatchObject({
      host: '198.18.0.1',
      port: 2022,
      user: 'jumper',
      privateKeyFiles: ['/keys/bastion'],
      knownHostsFile: '/k',
      acceptNewHostKeys: true,
    });
    expect(t.proxyJump![0].becomePassword).toBeUndefined();
  });

  it('refuses a bad port or user with a message naming the host and variable', () => {
    expect(() => resolveTarget('rs1', { ansible_port: 'ssh' }, base)).toThrow(UserError);
    expect(() => resolveTarget('rs1', { ansible_port: 70000 }, base)).toThrow(/host rs1: ansible_port must be a port number/);
    expect(() => resolveTarget('rs1', { ansible_user: ['a'] }, base)).toThrow(/host rs1: ansible_user must be a non-empty string/);
  });
});
