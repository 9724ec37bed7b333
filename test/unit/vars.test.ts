import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/core/inventory/index.ts';
import { loadPlaybook } from '../../src/core/playbook/load.ts';
import { buildHostVars, factVars, FACT_VAR_NAMES, MAGIC_VAR_NAMES } from '../../src/core/vars.ts';
import { parseHostFacts } from '../../src/facts/host-facts.ts';
import type { HostFacts } from '../../src/facts/types.ts';

const DIR = 'test/fixtures/playbooks/precedence';
const inventory = loadInventory([`${DIR}/inventory.yml`]);
const playbook = loadPlaybook(`${DIR}/site.yml`);
const play = playbook.plays[0];

const facts: HostFacts = {
  hostname: 'rs1',
  osFamily: 'Debian',
  distribution: 'debian',
  distributionVersion: '12',
  systemdRunning: true,
  interfaces: [
    { name: 'lo', up: true, addresses: [{ family: 'inet', address: '127.0.0.1', prefixlen: 8 }] },
    { name: 'eth0', mac: '02:00:00:00:00:01', up: true, addresses: [{ family: 'inet', address: '198.18.0.11', prefixlen: 24 }] },
  ],
  defaultInterface: 'eth0',
  defaultIpv4: '198.18.0.11',
  tools: {},
};

function varsOf(host: string, extra: Partial<Parameters<typeof buildHostVars>[0]> = {}): Record<string, unknown> {
  return buildHostVars({
    inventory,
    host: inventory.hosts.get(host)!,
    play,
    extraVars: {},
    registered: {},
    checkMode: false,
    playbookDir: playbook.dir,
    ...extra,
  });
}

describe('buildHostVars precedence', () => {
  it('takes each layer from its own source', () => {
    const v = varsOf('rs1.lab.example');
    expect([v.only_all, v.only_group, v.only_host, v.only_play, v.only_file]).toEqual(['from-all', 'from-group', 'from-host', 'from-play', 'from-file']);
  });

  it('group < host < play vars < vars_files < extra vars', () => {
    expect(varsOf('rs1.lab.example').level).toBe('vars-file');
    expect(varsOf('rs1.lab.example', { extraVars: { level: 'extra' } }).level).toBe('extra');
    const noFiles = { ...play, varsFiles: [] };
    expect(varsOf('rs1.lab.example', { play: noFiles }).level).toBe('play');
    const noPlayVars = { ...noFiles, vars: {} };
    expect(varsOf('rs1.lab.example', { play: noPlayVars }).level).toBe('host');
    expect(varsOf('rs2.lab.example', { play: noPlayVars }).level).toBe('group');
  });

  it('registered results beat play vars, extra vars beat registered results', () => {
    expect(varsOf('rs1.lab.example', { registered: { level: { rc: 0 } } }).level).toEqual({ rc: 0 });
    expect(varsOf('rs1.lab.example', { registered: { level: { rc: 0 } }, extraVars: { level: 'x' } }).level).toBe('x');
  });

  it('sets the magic variables', () => {
    const v = varsOf('rs1.lab.example', { checkMode: true });
    expect(v.inventory_hostname).toBe('rs1.lab.example');
    expect(v.inventory_hostname_short).toBe('rs1');
    expect(v.group_names).toEqual(['realservers']);
    expect(v.groups).toMatchObject({ realservers: ['rs1.lab.example', 'rs2.lab.example'], directors: ['lb1'] });
    expect((v.groups as Record<string, string[]>).all).toHaveLength(3);
    expect((v.hostvars as Record<string, Record<string, unknown>>)['rs2.lab.example'].level).toBe('group');
    expect((v.hostvars as Record<string, Record<string, unknown>>).lb1.inventory_hostname).toBe('lb1');
    expect(v.playbook_dir).toBe(playbook.dir);
    expect(v.ansible_check_mode).toBe(true);
    for (const name of MAGIC_VAR_NAMES) expect(v).toHaveProperty(name);
  });

  it('shows facts only when given', () => {
    expect(varsOf('rs1.lab.example')).not.toHaveProperty('ansible_facts');
    // Facts as a host's facts command gives them (every subset): every fact name is there.
    const captured = readFileSync(new URL('../fixtures/captured/host-facts-debian12.txt', import.meta.url), 'utf8');
    const v = varsOf('rs1.lab.example', { facts: parseHostFacts({ code: 0, stdout: captured, stderr: '' }) });
    for (const name of FACT_VAR_NAMES) expect(v).toHaveProperty(name);
  });
});

describe('factVars', () => {
  it('exposes HostFacts under the Ansible names', () => {
    const v = factVars(facts);
    expect(v.ansible_hostname).toBe('rs1');
    expect(v.ansible_os_family).toBe('Debian');
    expect(v.ansible_default_ipv4).toEqual({
      interface: 'eth0', alias: 'eth0', address: '198.18.0.11', broadcast: '', netmask: '255.255.255.0', network: '198.18.0.0', prefix: '24',
      macaddress: '02:00:00:00:00:01', type: 'ether',
    });
    expect(v.ansible_interfaces).toEqual(['lo', 'eth0']);
    expect((v.ansible_facts as Record<string, unknown>).os_family).toBe('Debian');
    expect((v.ansible_facts as Record<string, unknown>).service_mgr).toBe('systemd');
  });

  it('gives an empty default_ipv4 without a default route', () => {
    expect(factVars({ ...facts, defaultInterface: undefined, defaultIpv4: undefined }).ansible_default_ipv4).toEqual({});
  });
});
