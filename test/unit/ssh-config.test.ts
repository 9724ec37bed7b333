import { homedir } from 'node:os';
import { join } from 'node:path';
import SSHConfig from 'ssh-config';
import { describe, expect, it } from 'vitest';
import { lookupSshConfig, parseProxyJump } from '../../src/connection/ssh-config.ts';

const config = SSHConfig.parse(`
Host rs*
  User deploy
  IdentityFile ~/.ssh/lab_key
  IdentityFile /etc/lvsdr/second_key

Host rs1
  HostName 198.18.0.11
  Port 2222
  User ignored-because-first-value-wins

Host behind
  HostName 198.18.1.5
  ProxyJump admin@bastion:2200,[198.18.0.1]:22
  ConnectTimeout 3
  UserKnownHostsFile ~/.ssh/lab_known_hosts /other/file
  StrictHostKeyChecking accept-new

Host *
  Port 22
  ServerAliveInterval 10
`);

describe('lookupSshConfig', () => {
  it('applies every matching Host block, the first value of each option winning', () => {
    expect(lookupSshConfig(config, 'rs1')).toEqual({
      hostName: '198.18.0.11',
      user: 'deploy',
      port: 2222,
      identityFiles: [join(homedir(), '.ssh/lab_key'), '/etc/lvsdr/second_key'],
      proxyJump: undefined,
      connectTimeoutMs: undefined,
      knownHostsFile: undefined,
    });
  });

  it('reads ProxyJump chains, ConnectTimeout, UserKnownHostsFile and accept-new', () => {
    const host = lookupSshConfig(config, 'behind');
    expect(host.hostName).toBe('198.18.1.5');
    expect(host.proxyJump).toEqual([
      { user: 'admin', host: 'bastion', port: 2200 },
      { user: undefined, host: '198.18.0.1', port: 22 },
    ]);
    expect(host.connectTimeoutMs).toBe(3000);
    expect(host.knownHostsFile).toBe(join(homedir(), '.ssh/lab_known_hosts'));
    expect(host.acceptNewHostKeys).toBe(true);
  });

  it('leaves what the config does not say undefined', () => {
    expect(lookupSshConfig(config, 'db1')).toMatchObject({ hostName: undefined, user: undefined, port: 22, identityFiles: [] });
  });
});

describe('parseProxyJump', () => {
  it('reads user@host:port hops in order, with IPv6 in brackets', () => {
    expect(parseProxyJump('jump1, u@jump2:2022,ssh://[fd00::1]:22')).toEqual([
      { user: undefined, host: 'jump1', port: undefined },
      { user: 'u', host: 'jump2', port: 2022 },
      { user: undefined, host: 'fd00::1', port: 22 },
    ]);
  });
});
