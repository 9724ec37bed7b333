import { probesRead } from '../support/fact-state.ts';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseArptablesSave } from '../../src/facts/parsers/arptables-save.ts';
import { arptablesModule, type ArptablesArgs } from '../../src/modules/arptables.ts';
import { ARPTABLES_RUNTIME_KEY, serviceKey } from '../support/fact-keys.ts';
import { fileKey } from '../../src/modules/remote-file.ts';
import type { StateView } from '../../src/modules/types.ts';
import { absent, applyEffects, changesOf, commandsOf, ctxFor, files, HOSTILE, probeKeys, regular, SMUGGLED, stateOf, summaries, unit, validator } from './lvs-helpers.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/captured/${name}`, import.meta.url), 'utf8');
const VIP = '198.18.0.100';
const DROP: ArptablesArgs = { chain: 'IN', destination: VIP, target: 'DROP' };
const MANGLE: ArptablesArgs = { chain: 'OUT', source: VIP, target: 'mangle', mangle_ip_s: '198.18.0.10' };
const DEB_FILE = '/etc/arptables.rules';
const DEB_UNIT = 'lvsdr-arptables-restore.service';
const DEB_UNIT_FILE = `/etc/systemd/system/${DEB_UNIT}`;
const EL_FILE = '/etc/sysconfig/arptables';
const checkKeyOf = (args: ArptablesArgs, family: 'Debian' | 'RedHat' = 'Debian') =>
  probesRead(arptablesModule, args, ctxFor(family)).map((p) => p.key).find((k) => k.startsWith('arptables:check:'))!;

/** The state of a fresh Debian host with arptables-nft and nothing set up. */
function freshDebian(args: ArptablesArgs = DROP): Record<string, unknown> {
  return {
    [ARPTABLES_RUNTIME_KEY]: parseArptablesSave(fixture('arptables-save-nft-empty.txt')),
    [checkKeyOf(args)]: false,
    ...files({ [DEB_FILE]: absent, [DEB_UNIT_FILE]: absent }),
    [serviceKey(DEB_UNIT)]: unit(false, false),
  };
}

const plan = (args: ArptablesArgs, values: Record<string, unknown>, family: 'Debian' | 'RedHat' = 'Debian', legacy = false) =>
  arptablesModule.plan(args, stateOf(values) as StateView, ctxFor(family, legacy ? { tools: { arptables: { path: '/usr/sbin/arptables-legacy', variant: 'legacy' }, arptablesSave: { path: '/usr/sbin/arptables-legacy-save' } } } : {}));

describe('arptables module', () => {
  it('Debian, fresh host: adds the rule as INPUT (the guide says IN), saves it, installs and enables its restore unit', () => {
    const p = plan(DROP, freshDebian());
    expect(summaries(p)).toEqual([
      `add arptables rule INPUT -d ${VIP} -j DROP`,
      `save arptables rules to ${DEB_FILE} (not saved yet)`,
      `write ${DEB_UNIT_FILE}`,
      `enable ${DEB_UNIT}`,
    ]);
    const commands = commandsOf(p);
    expect(commands[0]).toBe(`/usr/sbin/arptables -A INPUT -d ${VIP} -j DROP`);
    expect(commands[1]).toBe('[ -d /etc ] || mkdir -p /etc');
    expect(commands[2]).toMatch(/^tmp=\/etc\/\.arptables\.rules\.lvsdr-\$\$ && \{ umask 0133 && out=\$\(\/usr\/sbin\/arptables-save\) && printf '%s\\n' "\$out" \| dd of="\$tmp" bs=65536 conv=excl,fsync status=none && .*mv -f "\$tmp" \/etc\/arptables\.rules && sync \/etc; \} \|\| \{ rc=\$\?; rm -f "\$tmp"; exit \$rc; \}$/);
    expect(commands.slice(-2)).toEqual(['systemctl daemon-reload', `systemctl enable ${DEB_UNIT}`]);
    const unitText = changesOf(p)[2].commands.at(-2)!.stdin!;
    expect(unitText).toContain("ExecStart=/bin/sh -c 'exec /usr/sbin/arptables-restore < /etc/arptables.rules'");
    expect(unitText).toContain('Before=network-pre.target');
    expect(changesOf(p)[1].diff).toEqual({ kind: 'file', path: DEB_FILE, before: null, after: `*filter\n:INPUT ACCEPT\n:OUTPUT ACCEPT\n-A INPUT -d ${VIP} -j DROP\n` });
  });

  it('check mode is honest: planning again on the would-be state changes nothing', () => {
    const values = freshDebian();
    const after = applyEffects(values, plan(DROP, values));
    expect(plan(DROP, after)).toEqual({ kind: 'noop', reason: `arptables rule INPUT -d ${VIP} -j DROP present; saved in ${DEB_FILE}; ${DEB_UNIT} enabled` });
  });

  it('RedHat: saves to /etc/sysconfig/arptables and enables arptables.service', () => {
    const values = {
      [ARPTABLES_RUNTIME_KEY]: parseArptablesSave(fixture('arptables-save-nft.txt')),
      [checkKeyOf(MANGLE, 'RedHat')]: false,
      ...files({ [EL_FILE]: regular(fixture('arptables-save-nft.txt')) }),
      [serviceKey('arptables.service')]: unit(false),
    };
    const mangleElsewhere = { ...MANGLE, source: '198.18.0.101' };
    values[checkKeyOf(mangleElsewhere, 'RedHat')] = false;
    const p = plan(mangleElsewhere, values, 'RedHat');
    expect(summaries(p)).toEqual([
      'add arptables rule OUTPUT -s 198.18.0.101 -j mangle --mangle-ip-s 198.18.0.10',
      `save arptables rules to ${EL_FILE} (rules changed)`,
      'enable arptables.service',
    ]);
    expect(commandsOf(p)[0]).toBe('/usr/sbin/arptables -A OUTPUT -s 198.18.0.101 -j mangle --mangle-ip-s 198.18.0.10');
  });

  it('RedHat: fails with the way to get arptables.service when it is not installed', () => {
    const values = { ...freshDebian(), [checkKeyOf(DROP, 'RedHat')]: false, ...files({ [EL_FILE]: absent }), [serviceKey('arptables.service')]: unit(false, false) };
    expect(plan(DROP, values, 'RedHat')).toEqual({
      kind: 'fail',
      message: `arptables.service, which restores ${EL_FILE} at boot, is not installed: install the package that ships it: dnf install /usr/lib/systemd/system/arptables.service`,
    });
  });

  it('repairs drift: the rule runs but the saved file lacks it', () => {
    const saved = regular('*filter\n:INPUT ACCEPT\n:OUTPUT ACCEPT\n');
    const values = { ...freshDebian(), [ARPTABLES_RUNTIME_KEY]: parseArptablesSave(fixture('arptables-save-nft.txt')), [checkKeyOf(DROP)]: true, ...files({ [DEB_FILE]: saved }) };
    values[fileKey(DEB_UNIT_FILE)] = applyEffects(freshDebian(), plan(DROP, freshDebian()))[fileKey(DEB_UNIT_FILE)];
    values[serviceKey(DEB_UNIT)] = unit(true);
    expect(summaries(plan(DROP, values))).toEqual([`save arptables rules to ${DEB_FILE} (saved rules differ from the running ones)`]);
  });

  it('is a no-op when the saved file says the same in the tool\'s own order and spelling', () => {
    const values = {
      ...freshDebian(),
      [ARPTABLES_RUNTIME_KEY]: parseArptablesSave(fixture('arptables-save-nft.txt')),
      [checkKeyOf(DROP)]: true,
      ...files({ [DEB_FILE]: regular(fixture('arptables-save-legacy.txt')) }),
      [serviceKey(DEB_UNIT)]: unit(true),
    };
    values[fileKey(DEB_UNIT_FILE)] = applyEffects(freshDebian(), plan(DROP, freshDebian()))[fileKey(DEB_UNIT_FILE)];
    expect(plan(DROP, values).kind).toBe('noop');
  });

  it('legacy arptables (no -C): compares the parsed rules, deletes every copy on absent', () => {
    const legacyCtx = ctxFor('Debian', { tools: { arptables: { path: '/usr/sbin/arptables-legacy', variant: 'legacy' }, arptablesSave: { path: '/usr/sbin/arptables-legacy-save' } } });
    expect(probeKeys(arptablesModule, DROP, legacyCtx).some((k) => k.startsWith('arptables:check:'))).toBe(false);
    const twice = parseArptablesSave(`${fixture('arptables-save-legacy.txt')}-A INPUT -j DROP -d ${VIP}\n`);
    const values = { ...freshDebian(), [ARPTABLES_RUNTIME_KEY]: twice, ...files({ [DEB_FILE]: regular(fixture('arptables-save-legacy.txt')) }), [serviceKey(DEB_UNIT)]: unit(true) };
    const p = plan({ ...DROP, state: 'absent' }, values, 'Debian', true);
    expect(commandsOf(p).slice(0, 2)).toEqual([`/usr/sbin/arptables-legacy -D INPUT -d ${VIP} -j DROP`, `/usr/sbin/arptables-legacy -D INPUT -d ${VIP} -j DROP`]);
    expect(commandsOf(p)[2]).toContain('out=$(/usr/sbin/arptables-legacy-save)');
    expect(plan(DROP, { ...values, [ARPTABLES_RUNTIME_KEY]: parseArptablesSave(fixture('arptables-save-legacy-empty.txt')) }, 'Debian', true).kind).toBe('change');
  });

  it('absent: removing the last rule on Debian also removes the saved file and lvsdr\'s unit', () => {
    const values = freshDebian();
    const applied = applyEffects(values, plan(DROP, values));
    const p = plan({ ...DROP, state: 'absent' }, applied);
    expect(summaries(p)).toEqual([
      `delete arptables rule INPUT -d ${VIP} -j DROP`,
      `remove ${DEB_FILE} (no arptables rules left)`,
      `disable ${DEB_UNIT}`,
      `remove ${DEB_UNIT_FILE}`,
    ]);
    expect(commandsOf(p)).toEqual([`/usr/sbin/arptables -D INPUT -d ${VIP} -j DROP`, `rm -f ${DEB_FILE}`, `systemctl disable ${DEB_UNIT}`, `rm -f ${DEB_UNIT_FILE}`, 'systemctl daemon-reload']);
    expect(plan({ ...DROP, state: 'absent' }, applyEffects(applied, p)).kind).toBe('noop');
  });

  it('absent on a RedHat host that never saved rules writes no file', () => {
    const values = { ...freshDebian(), [checkKeyOf(DROP, 'RedHat')]: false, ...files({ [EL_FILE]: absent }), [serviceKey('arptables.service')]: unit(false) };
    expect(plan({ ...DROP, state: 'absent' }, values, 'RedHat').kind).toBe('noop');
  });

  it('absent with other rules left on Debian saves them but installs no unit', () => {
    const others = parseArptablesSave('-A INPUT -j DROP -d 198.18.0.7\n');
    const values = { ...freshDebian(), [ARPTABLES_RUNTIME_KEY]: { ...others, rules: [...others.rules, ...parseArptablesSave(`-A INPUT -j DROP -d ${VIP}\n`).rules] }, [checkKeyOf(DROP)]: true };
    expect(summaries(plan({ ...DROP, state: 'absent' }, values))).toEqual([`delete arptables rule INPUT -d ${VIP} -j DROP`]);
    const saved = { ...values, ...files({ [DEB_FILE]: regular(`-A INPUT -j DROP -d ${VIP}\n-A INPUT -j DROP -d 198.18.0.7\n`) }) };
    expect(summaries(plan({ ...DROP, state: 'absent' }, saved))).toEqual([`delete arptables rule INPUT -d ${VIP} -j DROP`, `save arptables rules to ${DEB_FILE} (rules changed)`]);
  });

  it('mangle takes the real IP from facts, and fails without one', () => {
    const args: ArptablesArgs = { chain: 'OUT', source: VIP, target: 'mangle' };
    const values = { ...freshDebian(args) };
    expect(commandsOf(plan(args, values))[0]).toBe(`/usr/sbin/arptables -A OUTPUT -s ${VIP} -j mangle --mangle-ip-s 198.18.0.11`);
    const noRoute = arptablesModule.plan(args, stateOf(values), ctxFor('Debian', { defaultIpv4: undefined }));
    expect(noRoute).toMatchObject({ kind: 'fail', message: expect.stringMatching(/needs mangle_ip_s/) });
  });

  it('persist: false touches only the runtime rules', () => {
    const args = { ...DROP, persist: false };
    expect(probeKeys(arptablesModule, args, ctxFor('Debian'))).toEqual([ARPTABLES_RUNTIME_KEY, checkKeyOf(DROP)].sort());
    expect(summaries(plan(args, { [ARPTABLES_RUNTIME_KEY]: { policies: {}, rules: [] }, [checkKeyOf(DROP)]: false }))).toEqual([`add arptables rule INPUT -d ${VIP} -j DROP`]);
  });

  it('fails clearly when arptables is not installed', () => {
    const p = arptablesModule.plan(DROP, stateOf({}), ctxFor('Debian', { tools: {} }));
    expect(p).toMatchObject({ kind: 'fail', message: expect.stringMatching(/arptables is not installed/) });
  });

  it('schema: refuses hostile addresses, smuggled rule words, unknown chains', () => {
    const valid = validator(arptablesModule);
    expect(valid(DROP)).toBe(true);
    expect(valid(MANGLE)).toBe(true);
    expect(valid({ chain: 'INPUT', destination: VIP, target: 'DROP', in_interface: 'eth0' })).toBe(true);
    for (const h of [...HOSTILE, SMUGGLED]) {
      expect(valid({ ...DROP, destination: h })).toBe(false);
      expect(valid({ ...MANGLE, mangle_ip_s: h })).toBe(false);
      expect(valid({ ...DROP, in_interface: h })).toBe(false);
      expect(valid({ ...DROP, file: `/etc/${h}` })).toBe(false);
    }
    expect(valid({ ...DROP, chain: 'FORWARD' })).toBe(false);
    expect(valid({ ...DROP, target: 'ACCEPT; id' })).toBe(false);
    expect(valid({ chain: 'IN', target: 'DROP' })).toBe(false);
    expect(valid({ ...DROP, destination: '198.18.0.256' })).toBe(false);
  });
});
