import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { batchScript, splitBatchOutput } from '../../src/core/executor/probe-batch.ts';
import { batchAborts, serialBatches } from '../../src/core/executor/batches.ts';
import { taskSelected } from '../../src/core/executor/tags.ts';
import { splitCommandLine } from '../../src/modules/command-line.ts';
import { addressesOfFacts, hostFactsCommand, osFamilyOf, parseHostFacts, parseOsRelease } from '../../src/facts/host-facts.ts';
import { interfacesProbe } from '../support/fact-keys.ts';
import { sh } from '../../src/shell/quote.ts';

describe('probe batches', () => {
  it('splits one exec back into each probe’s stdout, stderr and exit code', () => {
    const cmds = [sh`printf abc`, sh`echo x; echo err >&2; exit 3`, sh`printf 'two\n\n'`, sh`exit 0`];
    const r = spawnSync('/bin/sh', ['-c', batchScript(cmds, '@@m').text], { encoding: 'utf8' });
    expect(splitBatchOutput(cmds.length, r.stdout, r.stderr, '@@m')).toEqual([
      { code: 0, stdout: 'abc', stderr: '' },
      { code: 3, stdout: 'x\n', stderr: 'err\n' },
      { code: 0, stdout: 'two\n\n', stderr: '' },
      { code: 0, stdout: '', stderr: '' },
    ]);
  });
  it('runs plain probes in the batch’s own shell and isolates those that could end or change it', () => {
    const cmds = [sh`v=1; echo "$v"`, sh`cd /; exit 4`, sh`pwd`];
    const script = batchScript(cmds, '@@m').text;
    expect(script).toContain('{ v=1;');
    expect(script).toContain('( cd /;');
    const r = spawnSync('/bin/sh', ['-c', script], { encoding: 'utf8', cwd: '/tmp' });
    expect(splitBatchOutput(cmds.length, r.stdout, r.stderr, '@@m').map((x) => [x.code, x.stdout])).toEqual([
      [0, '1\n'],
      [4, ''],
      [0, '/tmp\n'],
    ]);
  });
  it('marks probes whose output never arrived', () => {
    expect(splitBatchOutput(1, '', '', '@@m')[0]).toMatchObject({ code: null });
  });
});

describe('serial batches', () => {
  const hosts = ['a', 'b', 'c', 'd', 'e'];
  it('splits by count, percentage and lists whose last entry repeats', () => {
    expect(serialBatches(hosts, [])).toEqual([hosts]);
    expect(serialBatches(hosts, [2])).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(serialBatches(hosts, ['40%'])).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(serialBatches(hosts, [1, 3])).toEqual([['a'], ['b', 'c', 'd'], ['e']]);
    expect(serialBatches(hosts, ['10%'])).toHaveLength(5);
  });
  it('aborts when more than max_fail_percentage fail, or all do', () => {
    expect(batchAborts(1, 4, 25)).toBeUndefined();
    expect(batchAborts(2, 4, 25)).toMatch(/more than max_fail_percentage 25%/);
    expect(batchAborts(3, 3)).toMatch(/all 3/);
    expect(batchAborts(1, 3)).toBeUndefined();
  });
});

describe('tags', () => {
  it('selects like Ansible', () => {
    expect(taskSelected([], [], [])).toBe(true);
    expect(taskSelected(['never'], [], [])).toBe(false);
    expect(taskSelected(['never', 'x'], ['x'], [])).toBe(true);
    expect(taskSelected(['a'], ['b'], [])).toBe(false);
    expect(taskSelected(['always'], ['b'], [])).toBe(true);
    expect(taskSelected(['always'], [], ['always'])).toBe(false);
    expect(taskSelected([], ['untagged'], [])).toBe(true);
    expect(taskSelected(['a'], [], ['a'])).toBe(false);
    // ansible-core 2.14's evaluate_tags, case by case.
    expect(taskSelected(['always'], [], ['all'])).toBe(true);
    expect(taskSelected(['always'], [], ['all', 'always'])).toBe(false);
    expect(taskSelected(['a'], [], ['all'])).toBe(false);
    expect(taskSelected(['never', 'x'], ['tagged'], [])).toBe(false);
    expect(taskSelected(['x'], ['tagged'], [])).toBe(true);
    expect(taskSelected([], ['tagged'], [])).toBe(false);
    expect(taskSelected(['x'], [], ['tagged'])).toBe(false);
    expect(taskSelected([], [], ['tagged'])).toBe(true);
    expect(taskSelected([], [], ['untagged'])).toBe(false);
    expect(taskSelected(['never'], ['never'], [])).toBe(true);
    expect(taskSelected(['always', 'never'], ['b'], [])).toBe(true);
  });
});

describe('command lines', () => {
  it('splits like a POSIX shell without expanding anything', () => {
    expect(splitCommandLine(`ip addr add 198.18.0.100/32 dev lo`)).toEqual(['ip', 'addr', 'add', '198.18.0.100/32', 'dev', 'lo']);
    expect(splitCommandLine(`echo "a \\"b\\"" 'c d' e\\ f ''`)).toEqual(['echo', 'a "b"', 'c d', 'e f', '']);
    expect(() => splitCommandLine(`echo "open`)).toThrow(/unterminated/);
  });
});

describe('host facts', () => {
  it('reads os-release families', () => {
    expect(osFamilyOf(parseOsRelease('ID="rhel"\nID_LIKE="fedora"\n'))).toBe('RedHat');
    expect(osFamilyOf(parseOsRelease('ID=centos\n'))).toBe('RedHat');
    expect(osFamilyOf(parseOsRelease('ID=ubuntu\nID_LIKE=debian\n'))).toBe('Debian');
    expect(osFamilyOf(parseOsRelease('ID=alpine\n'))).toBe('alpine');
  });
  it('gathers this machine’s facts with the real command', () => {
    const r = spawnSync('/bin/sh', ['-c', hostFactsCommand.text], { encoding: 'utf8' });
    const f = parseHostFacts({ code: r.status, stdout: r.stdout, stderr: r.stderr });
    expect(f.hostname).toBe(hostname());
    expect(f.interfaces.some((i) => i.name === 'lo' && i.addresses.some((a) => a.address === '127.0.0.1'))).toBe(true);
    expect(['Debian', 'RedHat']).toContain(f.osFamily);
    // Debian links iptables to iptables-nft through its alternatives: the facts follow the links.
    if (existsSync('/usr/sbin/iptables-nft')) expect(f.tools.iptables).toEqual({ path: '/usr/sbin/iptables', variant: 'nft' });
  });
  it('hold the addresses as the interfaces probe reads them, when ip speaks JSON', () => {
    const facts = spawnSync('/bin/sh', ['-c', hostFactsCommand.text], { encoding: 'utf8' });
    const probe = interfacesProbe();
    const own = spawnSync('/bin/sh', ['-c', probe.command.text], { encoding: 'utf8' });
    const shared = addressesOfFacts({ code: 0, stdout: facts.stdout, stderr: '' });
    expect(shared).toBeDefined();
    expect(probe.parse(shared!)).toEqual(probe.parse({ code: 0, stdout: own.stdout, stderr: '' }));
    // iproute2 without JSON (RHEL 7) leaves the probe to read them itself.
    expect(addressesOfFacts({ code: 0, stdout: '@@lvsdr-fact ip\n\n\n@@lvsdr-fact tools\n', stderr: '' })).toBeUndefined();
  });
  it('tells nft from legacy backends', () => {
    const out = [
      '@@lvsdr-fact tools',
      '@@lvsdr-tool arptables',
      '/usr/sbin/arptables',
      'arptables v1.8.9 (nf_tables)',
      '@@lvsdr-tool iptables',
      '/usr/sbin/iptables',
      'iptables v1.8.9 (legacy)',
      '@@lvsdr-tool iptables-save',
      '/usr/sbin/iptables-save',
    ].join('\n');
    const f = parseHostFacts({ code: 0, stdout: out, stderr: '' });
    expect(f.tools.arptables).toEqual({ path: '/usr/sbin/arptables', version: '1.8.9', variant: 'nft' });
    expect(f.tools.iptables?.variant).toBe('legacy');
    expect(f.tools.iptablesSave).toEqual({ path: '/usr/sbin/iptables-save' });
  });
});
