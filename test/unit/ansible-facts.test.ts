/**
 * Ansible's fact names and shapes, from lvsdr's facts command as captured on the Debian 12
 * controller; the expected values are what `ansible localhost -c local -m setup` (ansible-core
 * 2.14.18) printed on the same machine the same minute.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ansibleFacts, isFactVarName } from '../../src/core/ansible-fact-vars.ts';
import { factVars } from '../../src/core/vars.ts';
import { parseCpuinfo, parseDateTime, parseLsb } from '../../src/facts/ansible-facts.ts';
import { factSubsets, subsetProblem } from '../../src/facts/gather-subset.ts';
import { hostFactsCommandFor, parseHostFacts } from '../../src/facts/host-facts.ts';

const captured = readFileSync(new URL('../fixtures/captured/host-facts-debian12.txt', import.meta.url), 'utf8');
const result = { code: 0, stdout: captured, stderr: '' };

describe("Ansible's facts from the captured facts command", () => {
  const f = ansibleFacts(parseHostFacts(result));
  it('min: distribution, families, managers, names, lsb', () => {
    expect(f).toMatchObject({
      distribution: 'Debian',
      distribution_version: '12.11',
      distribution_major_version: '12',
      distribution_release: 'bookworm',
      os_family: 'Debian',
      pkg_mgr: 'apt',
      service_mgr: 'process_api',
      hostname: 'vm',
      nodename: 'vm',
      fqdn: 'localhost',
      lsb: { codename: 'bookworm', description: 'Debian GNU/Linux 12 (bookworm)', id: 'Debian', major_release: '12', release: '12' },
    });
    expect(f.env).toEqual({ HOME: '/root', PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8', PWD: '/tmp' });
  });
  it('date_time: every key Ansible has, every value a string', () => {
    const d = f.date_time as Record<string, unknown>;
    expect(Object.keys(d).sort()).toEqual(
      ['date', 'day', 'epoch', 'epoch_int', 'hour', 'iso8601', 'iso8601_basic', 'iso8601_basic_short', 'iso8601_micro', 'minute', 'month', 'second', 'time', 'tz', 'tz_dst', 'tz_offset', 'weekday', 'weekday_number', 'weeknumber', 'year'],
    );
    expect(Object.values(d).every((v) => typeof v === 'string')).toBe(true);
    expect(d).toMatchObject({ tz: 'UTC', tz_dst: 'UTC', tz_offset: '+0000', weekday: 'Monday', weekday_number: '1', weeknumber: '49', year: '2026' });
    expect(d.iso8601_micro).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });
  it('hardware: processor counts as integers, memtotal_mb', () => {
    expect(f).toMatchObject({ processor_cores: 2, processor_count: 1, processor_vcpus: 2, processor_threads_per_core: 1, processor_nproc: 2, memtotal_mb: 24105 });
    expect(f.processor).toEqual(['0', 'GenuineIntel', 'Intel(R) Xeon(R) Processor', '1', 'GenuineIntel', 'Intel(R) Xeon(R) Processor']);
  });
  it('network: default_ipv4/6, interface facts, all addresses', () => {
    expect(f.default_ipv4).toEqual({
      address: '192.0.2.2', alias: 'eth0', broadcast: '192.0.2.255', gateway: '192.0.2.1', interface: 'eth0', macaddress: '02:fc:00:00:00:01',
      mtu: 1400, netmask: '255.255.255.0', network: '192.0.2.0', prefix: '24', type: 'ether',
    });
    expect(f.default_ipv6).toEqual({ address: 'fd00::2', gateway: 'fd00::1', interface: 'eth0', macaddress: '02:fc:00:00:00:01', mtu: 1400, prefix: '64', scope: 'global', type: 'ether' });
    expect(f.lo).toEqual({
      active: true, device: 'lo', ipv4: { address: '127.0.0.1', broadcast: '', netmask: '255.0.0.0', network: '127.0.0.0', prefix: '8' },
      ipv6: [{ address: '::1', prefix: '128', scope: 'host' }], mtu: 65536, promisc: false, type: 'loopback',
    });
    expect(f.all_ipv4_addresses).toContain('192.0.2.2');
    expect(f.all_ipv4_addresses).not.toContain('127.0.0.1');
    expect(f.all_ipv6_addresses).not.toContain('::1');
    expect(f.interfaces).toEqual(expect.arrayContaining(['lo', 'eth0']));
    expect(f.eth0).toMatchObject({ speed: -1, mtu: 1400, type: 'ether', macaddress: '02:fc:00:00:00:01' });
    expect(f.lvbr_1).toMatchObject({ speed: 10000 });
  });
  it('as variables: ansible_<name> and ansible_facts.<name>; facts are never rendered as templates', () => {
    const v = factVars(parseHostFacts(result));
    expect(v.ansible_distribution).toBe('Debian');
    expect((v.ansible_facts as Record<string, unknown>).processor_vcpus).toBe(2);
    expect(v.ansible_eth0).toMatchObject({ device: 'eth0', ipv4: { address: '192.0.2.2' } });
    expect(isFactVarName('ansible_env') && isFactVarName('ansible_eth0') && !isFactVarName('ansible_host')).toBe(true);
  });
});

describe('gather_subset', () => {
  it("reads entries as Ansible's collector does", () => {
    expect(factSubsets([])).toEqual({ min: true, hardware: true, network: true });
    expect(factSubsets(['network'])).toEqual({ min: true, hardware: false, network: true });
    expect(factSubsets(['!hardware'])).toEqual({ min: true, hardware: false, network: false });
    expect(factSubsets(['all', '!hardware'])).toEqual({ min: true, hardware: false, network: true });
    expect(factSubsets(['!all'])).toEqual({ min: true, hardware: false, network: false });
    expect(factSubsets(['!all', '!min'])).toEqual({ min: false, hardware: false, network: false });
    expect(factSubsets(['!all', 'network'])).toEqual({ min: true, hardware: false, network: true });
  });
  it('refuses what lvsdr does not gather, accepts removing it', () => {
    expect(subsetProblem('virtual')).toMatch(/does not gather/);
    expect(subsetProblem('!virtual')).toBeUndefined();
    expect(subsetProblem('bogus')).toMatch(/unknown gather_subset/);
  });
  it('a subset costs less: no hardware or date reads for network alone; variables of the subsets only', () => {
    const text = hostFactsCommandFor(factSubsets(['!all'])).text;
    expect(text).not.toContain('/proc/cpuinfo');
    expect(text).not.toContain('route get');
    expect(hostFactsCommandFor(factSubsets(['!all', '!min'])).text).not.toContain('date ');
    const f = ansibleFacts(parseHostFacts(result, factSubsets(['!all'])));
    expect(f).toHaveProperty('distribution');
    expect(f).not.toHaveProperty('processor_cores');
    expect(f).not.toHaveProperty('default_ipv4');
  });
});

describe('fact parsers', () => {
  it('cpuinfo of two sockets with hyperthreading', () => {
    const cpu = ['processor\t: 0', 'physical id\t: 0', 'siblings\t: 4', 'cpu cores\t: 2', 'processor\t: 1', 'physical id\t: 1', 'siblings\t: 4', 'cpu cores\t: 2'].join('\n');
    expect(parseCpuinfo(cpu)).toMatchObject({ count: 2, cores: 2, threadsPerCore: 2, vcpus: 8, nproc: 2 });
  });
  it('/etc/lsb-release when lsb_release is not installed', () => {
    expect(parseLsb('DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\nDISTRIB_CODENAME=jammy\nDISTRIB_DESCRIPTION="Ubuntu 22.04.4 LTS"\n')).toEqual({
      id: 'Ubuntu', release: '22.04', codename: 'jammy', description: 'Ubuntu 22.04.4 LTS', major_release: '22',
    });
  });
  it('date_time: summer time is the zone name with the larger offset', () => {
    const d = parseDateTime('2026|12|Monday|1|49|07|18|06|31|1796663191|CET|+0100|612901908\n2026-12-07T17:06:31|20261207T170631\nCET|+0100\nCEST|+0200\n');
    expect(d).toMatchObject({ tz: 'CET', tz_dst: 'CEST', iso8601: '2026-12-07T17:06:31Z', iso8601_basic: '20261207T180631612901' });
  });
});
