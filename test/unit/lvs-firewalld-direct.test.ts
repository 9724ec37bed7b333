import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFirewalldDirectRules } from '../../src/facts/parsers/firewalld-direct.ts';
import { factKey, factProbe } from '../../src/facts/fact.ts';
import { FIREWALLD_UNIT, firewalldDirectPermanentFact, firewalldDirectRuntimeFact } from '../../src/facts/firewalld.ts';
import { firewalldDirectModule, type FirewalldDirectArgs } from '../../src/modules/firewalld-direct.ts';
import { keysRead } from '../support/fact-state.ts';
import { serviceKey } from '../support/fact-keys.ts';
import { applyEffects, commandsOf, ctxFor, HOSTILE, SMUGGLED, stateOf, summaries, unit, validator } from './lvs-helpers.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/captured/${name}`, import.meta.url), 'utf8');
const VIP = '198.18.0.100';
const HTTP: FirewalldDirectArgs = { destination: VIP, dport: 80 };
const RULE = `ipv4 nat PREROUTING 0 -d ${VIP} -p tcp -m tcp --dport 80 -j REDIRECT`;
const runtimeRules = parseFirewalldDirectRules(fixture('firewall-cmd-direct-runtime.txt'));
const permanentRules = parseFirewalldDirectRules(fixture('firewall-cmd-direct-permanent.txt'));
const plan = (args: FirewalldDirectArgs, values: Record<string, unknown>, systemdRunning = true) =>
  firewalldDirectModule.plan(args, stateOf(values), ctxFor('RedHat', { systemdRunning }));
const FIREWALLD_RUNTIME_KEY = factKey(firewalldDirectRuntimeFact, undefined);
const FIREWALLD_PERMANENT_KEY = factKey(firewalldDirectPermanentFact, undefined);
const running = (runtime: unknown, permanent: unknown) => ({ [serviceKey(FIREWALLD_UNIT)]: unit(true), [FIREWALLD_RUNTIME_KEY]: runtime, [FIREWALLD_PERMANENT_KEY]: permanent });

describe('firewalld_direct module', () => {
  it('probes the unit, the runtime and the permanent rules', () => {
    const probes = [factProbe(firewalldDirectRuntimeFact, undefined), factProbe(firewalldDirectPermanentFact, undefined)];
    expect(keysRead(firewalldDirectModule, HTTP, ctxFor('RedHat'))).toEqual([serviceKey(FIREWALLD_UNIT), FIREWALLD_RUNTIME_KEY, FIREWALLD_PERMANENT_KEY].sort());
    expect(probes[0].parse({ code: 0, stdout: 'stopped\n', stderr: '' })).toBeNull();
    expect(probes[0].parse({ code: 0, stdout: `running\n${fixture('firewall-cmd-direct-runtime.txt')}`, stderr: '' })).toEqual(runtimeRules);
    expect(probes[1].command.text).toContain('firewall-offline-cmd --direct --get-all-rules');
  });

  it('adds to whichever configuration lacks the rule, and never reloads', () => {
    const both = plan(HTTP, running([], []));
    expect(commandsOf(both)).toEqual([`firewall-cmd --permanent --direct --add-rule ${RULE}`, `firewall-cmd --direct --add-rule ${RULE}`]);
    expect(summaries(plan(HTTP, running([], permanentRules)))).toEqual([`add direct rule ${RULE} (runtime)`]);
    expect(summaries(plan(HTTP, running(runtimeRules, [])))).toEqual([`add direct rule ${RULE} (permanent)`]);
    for (const p of [both, plan(HTTP, running([], permanentRules))]) expect(commandsOf(p).some((c) => c.includes('--reload'))).toBe(false);
  });

  it('no-op when both have it, whatever spelling firewalld stored', () => {
    const stored = parseFirewalldDirectRules(`ipv4 nat PREROUTING 0 -p tcp --dport 80 -d ${VIP}/32 -j REDIRECT\n`);
    expect(plan(HTTP, running(stored, stored))).toEqual({ kind: 'noop', reason: `direct rule ${RULE} present (runtime and permanent); firewalld enabled and running` });
  });

  it('the same rule again at another priority is a duplicate: removed from both configurations, the wanted one kept', () => {
    const twice = parseFirewalldDirectRules(`${RULE}\nipv4 nat PREROUTING 5 -d ${VIP} -p tcp -m tcp --dport 80 -j REDIRECT\nipv4 nat PREROUTING 5 -d ${VIP} -p tcp -m tcp --dport 81 -j REDIRECT\n`);
    const p = plan(HTTP, running(twice, twice));
    const other = `ipv4 nat PREROUTING 5 -d ${VIP} -p tcp -m tcp --dport 80 -j REDIRECT`;
    expect(summaries(p)).toEqual([`remove duplicate direct rule ${other} (permanent)`, `remove duplicate direct rule ${other} (runtime)`]);
    expect(commandsOf(p)).toEqual([`firewall-cmd --permanent --direct --remove-rule ${other}`, `firewall-cmd --direct --remove-rule ${other}`]);
    const after = applyEffects(running(twice, twice), p);
    expect(plan(HTTP, after).kind).toBe('noop');
    // Only the copy is gone: the rule for port 81 stays.
    expect((after[FIREWALLD_RUNTIME_KEY] as { args: string[] }[]).map((r) => r.args.join(' '))).toHaveLength(2);
  });

  it('enables and starts firewalld when needed; once started, runtime is the permanent configuration', () => {
    const values = { [serviceKey(FIREWALLD_UNIT)]: unit(false), [FIREWALLD_RUNTIME_KEY]: null, [FIREWALLD_PERMANENT_KEY]: permanentRules };
    const p = plan(HTTP, values);
    expect(commandsOf(p)).toEqual([`systemctl enable ${FIREWALLD_UNIT}`, `systemctl start ${FIREWALLD_UNIT}`]);
    expect(plan(HTTP, applyEffects(values, p)).kind).toBe('noop');
    expect(plan(HTTP, values, false)).toMatchObject({ kind: 'fail', message: expect.stringMatching(/systemd is not running/) });
    expect(plan(HTTP, { ...values, [serviceKey(FIREWALLD_UNIT)]: unit(false, false) })).toMatchObject({ kind: 'fail', message: expect.stringMatching(/firewalld is not installed/) });
  });

  it('udp, another priority, REDIRECT --to-ports', () => {
    const args: FirewalldDirectArgs = { destination: '198.18.0.101', dport: 443, protocol: 'tcp', priority: 1, to_ports: 8443 };
    expect(plan(args, running(runtimeRules, [])).kind).toBe('change');
    expect(commandsOf(plan(args, running(runtimeRules, [])))).toEqual(['firewall-cmd --permanent --direct --add-rule ipv4 nat PREROUTING 1 -d 198.18.0.101 -p tcp -m tcp --dport 443 -j REDIRECT --to-ports 8443']);
    expect(summaries(plan({ destination: VIP, dport: 53, protocol: 'udp' }, running(runtimeRules, permanentRules)))).toEqual([
      `add direct rule ipv4 nat PREROUTING 0 -d ${VIP} -p udp -m udp --dport 53 -j REDIRECT (permanent)`,
    ]);
  });

  it('absent removes each copy with the text firewalld stored, offline when firewalld is stopped', () => {
    const stored = parseFirewalldDirectRules(`ipv4 nat PREROUTING 0 -d ${VIP}/32 -p tcp -m tcp --dport 80 -j REDIRECT\n`);
    const p = plan({ ...HTTP, state: 'absent' }, running(stored, permanentRules));
    expect(commandsOf(p)).toEqual([
      `firewall-cmd --permanent --direct --remove-rule ${RULE}`,
      `firewall-cmd --direct --remove-rule ipv4 nat PREROUTING 0 -d ${VIP}/32 -p tcp -m tcp --dport 80 -j REDIRECT`,
    ]);
    const offline = plan({ ...HTTP, state: 'absent' }, { [serviceKey(FIREWALLD_UNIT)]: unit(true), [FIREWALLD_RUNTIME_KEY]: null, [FIREWALLD_PERMANENT_KEY]: permanentRules });
    expect(commandsOf(offline)).toEqual([`firewall-offline-cmd --direct --remove-rule ${RULE}`]);
    expect(plan({ ...HTTP, state: 'absent' }, running([], []))).toMatchObject({ kind: 'noop' });
  });

  it('schema: refuses hostile addresses, ports and tables', () => {
    const valid = validator(firewalldDirectModule);
    expect(valid(HTTP)).toBe(true);
    for (const h of [...HOSTILE, SMUGGLED]) {
      expect(valid({ ...HTTP, destination: h })).toBe(false);
      expect(valid({ ...HTTP, table: h })).toBe(false);
      expect(valid({ ...HTTP, chain: h })).toBe(false);
    }
    expect(valid({ ...HTTP, dport: 0 })).toBe(false);
    expect(valid({ ...HTTP, protocol: 'sctp' })).toBe(false);
    expect(valid({ ...HTTP, jump: 'ACCEPT', to_ports: 8080 })).toBe(false);
    expect(valid({ dport: 80 })).toBe(false);
  });
});

describe('firewalld_direct module, IPv6: an ipv6 direct rule', () => {
  const VIP6 = 'fd00::198:18:0:240';
  const RULE6 = `ipv6 nat PREROUTING 0 -d ${VIP6} -p tcp -m tcp --dport 80 -j REDIRECT`;

  it('adds an ipv6 rule to both configurations, the address as the kernel prints it; then plans nothing', () => {
    const p = plan({ destination: 'FD00:0::198:18:0:240', dport: 80 }, running([], []));
    expect(commandsOf(p)).toEqual([`firewall-cmd --permanent --direct --add-rule ${RULE6}`, `firewall-cmd --direct --add-rule ${RULE6}`]);
    expect(plan({ destination: VIP6, dport: 80 }, applyEffects(running([], []), p)).kind).toBe('noop');
  });

  it('an ipv4 rule for the same port does not count, and stays', () => {
    const v4 = parseFirewalldDirectRules(`${RULE}\n`);
    const p = plan({ destination: VIP6, dport: 80 }, running(v4, v4));
    expect(summaries(p)).toEqual([`add direct rule ${RULE6} (permanent)`, `add direct rule ${RULE6} (runtime)`]);
    const rules = parseFirewalldDirectRules(`${RULE6}\n`);
    expect(commandsOf(plan({ destination: VIP6, dport: 80, state: 'absent' }, running([...v4, ...rules], [...v4, ...rules])))).toEqual([
      `firewall-cmd --permanent --direct --remove-rule ${RULE6}`,
      `firewall-cmd --direct --remove-rule ${RULE6}`,
    ]);
  });
});
