import { keysRead, probesRead } from '../support/fact-state.ts';
import { describe, expect, it } from 'vitest';
import type { NetInterface } from '../../src/facts/types.ts';
import { arptablesModule, type ArptablesArgs } from '../../src/modules/arptables.ts';
import { ARPTABLES_RUNTIME_KEY, INTERFACES_KEY, serviceKey, sysctlKey } from '../support/fact-keys.ts';
import { sysctlModule } from '../../src/modules/sysctl.ts';
import type { ModuleContext, ModuleDef } from '../../src/modules/types.ts';
import { vipModule, type VipArgs } from '../../src/modules/vip.ts';
import { absent, applyEffects, changesOf, commandsOf, ctxFor, files, HOSTILE, stateOf, summaries, unit, validator } from './lvs-helpers.ts';

const VIP = '198.18.0.100';
const UNIT = `lvsdr-vip-${VIP}.service`;
const UNIT_FILE = `/etc/systemd/system/${UNIT}`;
function interfaces(extra: { device: string; prefixlen: number; label?: string }[] = []): NetInterface[] {
  const base: NetInterface[] = [
    { name: 'lo', up: true, addresses: [{ family: 'inet', address: '127.0.0.1', prefixlen: 8, label: 'lo' }] },
    { name: 'eth0', up: true, mac: '02:00:00:00:00:11', addresses: [{ family: 'inet', address: '198.18.0.11', prefixlen: 24, label: 'eth0' }] },
  ];
  return base.map((i) => ({
    ...i,
    addresses: [...i.addresses, ...extra.filter((e) => e.device === i.name).map((e) => ({ family: 'inet' as const, address: VIP, prefixlen: e.prefixlen, label: e.label }))],
  }));
}

/** Runs tasks in order the way check mode does: probe what the overlay lacks, plan, record effects. */
function checkRun(ctx: ModuleContext, base: Record<string, unknown>, tasks: [ModuleDef, unknown][]) {
  let values = base;
  return tasks.map(([module, args]) => {
    for (const key of keysRead(module, args, ctx, values)) if (!(key in values)) throw new Error(`test state lacks probed key ${key}`);
    const p = module.plan(args, stateOf(values), ctx);
    values = applyEffects(values, p);
    return p;
  });
}

const ARP_DROP: ArptablesArgs = { chain: 'IN', destination: VIP, target: 'DROP' };
const ARP_MANGLE: ArptablesArgs = { chain: 'OUT', source: VIP, target: 'mangle' };
const ON_ETH0: VipArgs = { address: VIP, device: 'eth0', label: 'eth0:1', arp_guard: 'arptables' };
const ON_LO: VipArgs = { address: VIP, device: 'lo', label: 'lo:0', arp_guard: 'sysctl' };

function freshDebian(ctx: ModuleContext): Record<string, unknown> {
  const checks = [ARP_DROP, ARP_MANGLE].map((a) => probesRead(arptablesModule, a, ctx).find((p) => p.key.startsWith('arptables:check:'))!.key);
  return {
    [INTERFACES_KEY]: interfaces(),
    [ARPTABLES_RUNTIME_KEY]: { policies: {}, rules: [] },
    ...Object.fromEntries(checks.map((k) => [k, false])),
    ...files({ '/etc/arptables.rules': absent, '/etc/systemd/system/lvsdr-arptables-restore.service': absent, [UNIT_FILE]: absent, '/etc/sysctl.d/90-lvsdr.conf': absent }),
    [serviceKey('lvsdr-arptables-restore.service')]: unit(false, false),
    [serviceKey(UNIT)]: unit(false, false),
    ...Object.fromEntries(['all', 'eth0'].flatMap((i) => ['arp_ignore', 'arp_announce'].map((p) => [sysctlKey(`net.ipv4.conf.${i}.${p}`), '0']))),
  };
}

describe('vip module and its ARP guard', () => {
  const ctx = ctxFor('Debian');

  it('refuses a VIP whose arptables suppression is not in place, saying what is missing', () => {
    const [p] = checkRun(ctx, freshDebian(ctx), [[vipModule, ON_ETH0]]);
    expect(p.kind).toBe('fail');
    expect(p.kind === 'fail' && p.message).toBe(
      `refusing to add VIP ${VIP} to eth0: ARP for it is not suppressed (arptables) — no running arptables rule INPUT -d ${VIP} -j DROP; ` +
        'the DROP rule is not saved in /etc/arptables.rules; lvsdr-arptables-restore.service is not enabled to restore it at boot. ' +
        `Put an arptables task (chain: IN, destination: ${VIP}, target: DROP) before this one.`,
    );
  });

  it('check mode: arptables tasks planned first satisfy the guard, and the VIP is added and persisted', () => {
    const [, , p] = checkRun(ctx, freshDebian(ctx), [[arptablesModule, ARP_DROP], [arptablesModule, ARP_MANGLE], [vipModule, ON_ETH0]]);
    expect(summaries(p)).toEqual([`add VIP ${VIP}/32 on eth0 (eth0:1)`, `write ${UNIT_FILE}`, `enable ${UNIT}`]);
    expect(commandsOf(p)[0]).toBe(`ip addr add ${VIP}/32 dev eth0 label eth0:1`);
    const unitText = changesOf(p)[1].commands.find((c) => c.stdin)!.stdin!;
    expect(unitText).toContain('After=systemd-sysctl.service arptables.service lvsdr-arptables-restore.service firewalld.service iptables.service netfilter-persistent.service network.target');
    expect(unitText).toContain(`ExecStart=/sbin/ip addr replace ${VIP}/32 dev eth0 label eth0:1`);
    expect(unitText).toContain('WantedBy=multi-user.target');
  });

  it('the whole arptables play is idempotent: a second pass plans nothing', () => {
    const tasks: [ModuleDef, unknown][] = [[arptablesModule, ARP_DROP], [arptablesModule, ARP_MANGLE], [vipModule, ON_ETH0]];
    let values = freshDebian(ctx);
    for (const [m, a] of tasks) values = applyEffects(values, m.plan(a, stateOf(values), ctx));
    expect(checkRun(ctx, values, tasks).map((p) => p.kind)).toEqual(['noop', 'noop', 'noop']);
  });

  it('sysctl method: refused until arp_ignore and arp_announce are in place at runtime and persisted', () => {
    const [refused] = checkRun(ctx, freshDebian(ctx), [[vipModule, ON_LO]]);
    expect(refused.kind === 'fail' && refused.message).toMatch(/effective arp_ignore on eth0 is 0, needs 1.*effective arp_announce on eth0 is 0, needs 2/);
    const other = '/etc/sysctl.d/10-other.conf';
    const elsewhere = checkRun(ctx, { ...freshDebian(ctx), ...files({ [other]: absent }) }, [
      [sysctlModule, { name: 'net.ipv4.conf.all.arp_ignore', value: 1, file: other }],
      [sysctlModule, { name: 'net.ipv4.conf.eth0.arp_announce', value: 2, file: other }],
      [vipModule, ON_LO],
    ]);
    // Runtime is right, but the guard reads the layout's file, which would not bring them back at boot…
    expect(elsewhere[2].kind === 'fail' && elsewhere[2].message).toMatch(/90-lvsdr\.conf does not persist arp_ignore >= 1 for eth0; .*arp_announce >= 2/);
    expect(elsewhere[2].kind === 'fail' && elsewhere[2].message).not.toMatch(/effective/);
    // …unless told where they are persisted.
    const told = checkRun(ctx, { ...freshDebian(ctx), ...files({ [other]: absent }) }, [
      [sysctlModule, { name: 'net.ipv4.conf.all.arp_ignore', value: 1, file: other }],
      [sysctlModule, { name: 'net.ipv4.conf.eth0.arp_announce', value: 2, file: other }],
      [vipModule, { ...ON_LO, arp_guard_file: other }],
    ]);
    expect(summaries(told[2])[0]).toBe(`add VIP ${VIP}/32 on lo (lo:0)`);
    expect(commandsOf(told[2])[0]).toBe(`ip addr add ${VIP}/32 dev lo label lo:0`);
  });

  it('sysctl method: the effective value counts (max of conf.all and the interface)', () => {
    const values = {
      ...freshDebian(ctx),
      [sysctlKey('net.ipv4.conf.eth0.arp_ignore')]: '1',
      [sysctlKey('net.ipv4.conf.all.arp_announce')]: '2',
      ...files({ '/etc/sysctl.d/90-lvsdr.conf': { exists: true, type: 'regular file', content: 'net.ipv4.conf.eth0.arp_ignore = 1\nnet.ipv4.conf.all.arp_announce = 2\n' } }),
    };
    expect(checkRun(ctx, values, [[vipModule, ON_LO]])[0].kind).toBe('change');
  });

  it('sysctl method: refuses the VIP on the interface ARP arrives on', () => {
    const [p] = checkRun(ctx, freshDebian(ctx), [[vipModule, { ...ON_LO, device: 'eth0', label: undefined }]]);
    expect(p.kind === 'fail' && p.message).toMatch(/the VIP would be on eth0, the interface ARP requests arrive on.*Put the VIP on lo/);
  });

  it('arp_guard none skips the guard; the device defaults from facts', () => {
    const [p] = checkRun(ctx, freshDebian(ctx), [[vipModule, { address: VIP, arp_guard: 'none', persist: false }]]);
    expect(commandsOf(p)).toEqual([`ip addr add ${VIP}/32 dev eth0`]);
  });

  it('moves a VIP that sits elsewhere or with another prefix', () => {
    const values = { ...freshDebian(ctx), [INTERFACES_KEY]: interfaces([{ device: 'eth0', prefixlen: 24, label: 'eth0' }]) };
    const [p] = checkRun(ctx, values, [[vipModule, { ...ON_LO, arp_guard: 'none', persist: false }]]);
    expect(summaries(p)).toEqual([`move VIP ${VIP} from eth0/24 to ${VIP}/32 on lo (lo:0)`]);
    expect(commandsOf(p)).toEqual([`ip addr del ${VIP}/24 dev eth0`, `ip addr add ${VIP}/32 dev lo label lo:0`]);
  });

  it('absent removes the address, disables and deletes the unit', () => {
    const tasks: [ModuleDef, unknown][] = [[arptablesModule, ARP_DROP], [vipModule, ON_ETH0]];
    let values = freshDebian(ctx);
    for (const [m, a] of tasks) values = applyEffects(values, m.plan(a, stateOf(values), ctx));
    const p = vipModule.plan({ address: VIP, state: 'absent' }, stateOf(values), ctx);
    expect(commandsOf(p)).toEqual([`ip addr del ${VIP}/32 dev eth0`, `systemctl disable ${UNIT}`, `rm -f ${UNIT_FILE}`, 'systemctl daemon-reload']);
    expect(vipModule.plan({ address: VIP, state: 'absent' }, stateOf(applyEffects(values, p)), ctx)).toEqual({ kind: 'noop', reason: `VIP ${VIP} absent, no ${UNIT}` });
    // Removal needs no device: a host without a default route can still lose its VIP.
    expect(commandsOf(vipModule.plan({ address: VIP, state: 'absent' }, stateOf(values), ctxFor('Debian', { defaultInterface: undefined })))[0]).toBe(`ip addr del ${VIP}/32 dev eth0`);
  });

  it('fails on a label that does not start with the device, or a missing device', () => {
    expect(checkRun(ctx, freshDebian(ctx), [[vipModule, { ...ON_LO, label: 'eth0:1', arp_guard: 'none' }]])[0]).toMatchObject({ kind: 'fail', message: 'label eth0:1 must start with the device name: lo:<something>' });
    expect(checkRun(ctx, freshDebian(ctx), [[vipModule, { address: VIP, device: 'eth7', arp_guard: 'none' }]])[0]).toMatchObject({ kind: 'fail', message: 'this host has no interface eth7' });
  });

  it('RedHat: the guard looks for the saved rules and arptables.service', () => {
    const el = ctxFor('RedHat');
    const values = { ...freshDebian(el), ...files({ '/etc/sysconfig/arptables': absent }), [serviceKey('arptables.service')]: unit(false) };
    const [, p] = checkRun(el, values, [[arptablesModule, ARP_DROP], [vipModule, ON_ETH0]]);
    expect(summaries(p)[0]).toBe(`add VIP ${VIP}/32 on eth0 (eth0:1)`);
    const [refused] = checkRun(el, values, [[vipModule, ON_ETH0]]);
    expect(refused.kind === 'fail' && refused.message).toMatch(/not saved in \/etc\/sysconfig\/arptables; arptables\.service is not enabled/);
  });

  it('schema: needs arp_guard when present; refuses hostile values', () => {
    const valid = validator(vipModule);
    expect(valid(ON_ETH0)).toBe(true);
    expect(valid({ address: VIP })).toBe(false);
    expect(valid({ address: VIP, state: 'absent' })).toBe(true);
    for (const h of HOSTILE) {
      expect(valid({ ...ON_ETH0, address: h })).toBe(false);
      expect(valid({ ...ON_ETH0, device: h })).toBe(false);
      expect(valid({ ...ON_ETH0, label: h })).toBe(false);
    }
    expect(valid({ ...ON_ETH0, device: 'a-very-long-interface' })).toBe(false);
    expect(valid({ ...ON_ETH0, prefix: 129 })).toBe(false);
    // 33 is a prefix length of IPv6 only: the plan says so for an IPv4 VIP
    expect(checkRun(ctx, freshDebian(ctx), [[vipModule, { ...ON_LO, arp_guard: 'none', prefix: 33 }]])[0]).toMatchObject({ kind: 'fail', message: 'prefix 33 is not an IPv4 prefix length (at most 32)' });
    expect(valid({ ...ON_ETH0, arp_guard: 'hope' })).toBe(false);
  });

  it('asks for every fact it reads before nothing is read: the prefetch reads them all in one exec', () => {
    const ctx = ctxFor('Debian');
    const known = { [INTERFACES_KEY]: interfaces() };
    const sysctls = ['all', 'eth0'].flatMap((i) => ['arp_ignore', 'arp_announce'].map((p) => sysctlKey(`net.ipv4.conf.${i}.${p}`)));
    const unitFacts = [files({ [UNIT_FILE]: absent }), { [serviceKey(UNIT)]: 0 }].flatMap(Object.keys);
    expect(keysRead(vipModule, ON_LO, ctx, known)).toEqual([...sysctls, ...Object.keys(files({ '/etc/sysctl.d/90-lvsdr.conf': absent })), ...unitFacts].sort());
  });
});

describe('vip module, IPv6: the VIP on lo as /128, no ARP guard', () => {
  const ctx = ctxFor('Debian');
  const VIP6 = 'fd00::198:18:0:240';
  const UNIT6 = `lvsdr-vip-${VIP6}.service`;
  const UNIT6_FILE = `/etc/systemd/system/${UNIT6}`;
  const ON_LO6: VipArgs = { address: VIP6, device: 'lo', arp_guard: 'none' };
  const fresh = { [INTERFACES_KEY]: interfaces(), ...files({ [UNIT6_FILE]: absent }), [serviceKey(UNIT6)]: unit(false, false) };

  it('adds the VIP to lo as /128 and persists it; a second pass plans nothing', () => {
    const [p] = checkRun(ctx, fresh, [[vipModule, ON_LO6]]);
    expect(summaries(p)).toEqual([`add VIP ${VIP6}/128 on lo`, `write ${UNIT6_FILE}`, `enable ${UNIT6}`]);
    expect(commandsOf(p)[0]).toBe(`ip addr add ${VIP6}/128 dev lo`);
    expect(changesOf(p)[1].commands.find((c) => c.stdin)!.stdin).toContain(`ExecStart=/sbin/ip addr replace ${VIP6}/128 dev lo\n`);
    const after = applyEffects(fresh, p);
    expect(vipModule.plan(ON_LO6, stateOf(after), ctx)).toEqual({ kind: 'noop', reason: `VIP ${VIP6}/128 on lo; ${UNIT6} enabled` });
  });

  it('takes the address in any spelling and works on it as the kernel prints it', () => {
    const [p] = checkRun(ctx, fresh, [[vipModule, { ...ON_LO6, address: 'FD00:0:0:0:0198:18:0:240', persist: false }]]);
    expect(commandsOf(p)).toEqual([`ip addr add ${VIP6}/128 dev lo`]);
  });

  it('device defaults to lo; any other device, an ARP guard or a label is refused with the reason', () => {
    expect(commandsOf(checkRun(ctx, fresh, [[vipModule, { address: VIP6, arp_guard: 'none', persist: false }]])[0])).toEqual([`ip addr add ${VIP6}/128 dev lo`]);
    const refused = (args: VipArgs) => {
      const p = vipModule.plan(args, stateOf(fresh), ctx);
      return p.kind === 'fail' ? p.message : `not refused: ${JSON.stringify(p)}`;
    };
    expect(refused({ ...ON_LO6, device: 'eth0' })).toMatch(/an IPv6 VIP goes on lo \(Linux answers neighbour solicitations for the addresses of the asking interface.*set device: lo/);
    expect(refused({ ...ON_LO6, arp_guard: 'sysctl' })).toMatch(/^arp_guard sysctl suppresses ARP, which IPv6 does not use.*set arp_guard: none/);
    expect(refused({ ...ON_LO6, arp_guard: 'arptables' })).toMatch(/^arp_guard arptables suppresses ARP/);
    expect(refused({ ...ON_LO6, label: 'lo:6' })).toMatch(/an IPv6 address has no label/);
  });

  it('absent removes the IPv6 address only, not an IPv4 one on the same device', () => {
    const withBoth = interfaces().map((i) =>
      i.name === 'lo' ? { ...i, addresses: [...i.addresses, { family: 'inet6' as const, address: VIP6, prefixlen: 128 }, { family: 'inet6' as const, address: '::1', prefixlen: 128 }] } : i,
    );
    const p = vipModule.plan({ address: VIP6, state: 'absent' }, stateOf({ ...fresh, [INTERFACES_KEY]: withBoth }), ctx);
    expect(commandsOf(p)).toEqual([`ip addr del ${VIP6}/128 dev lo`]);
  });

  it('schema: an IPv6 address is valid, hostile ones are not', () => {
    const valid = validator(vipModule);
    expect(valid(ON_LO6)).toBe(true);
    expect(valid({ ...ON_LO6, address: 'fd00::1; id' })).toBe(false);
    expect(valid({ ...ON_LO6, address: 'fd00::1/64' })).toBe(false);
  });
});
