import { describe, expect, it } from 'vitest';
import { sysctlModule } from '../../src/modules/sysctl.ts';
import { sysctlKey } from '../support/fact-keys.ts';
import { fileKey, type RemoteFile } from '../../src/modules/remote-file.ts';
import { absent, applyEffects, changesOf, commandsOf, ctxFor, files, HOSTILE, probeKeys, regular, stateOf, summaries, validator } from './lvs-helpers.ts';

const FILE = '/etc/sysctl.d/90-lvsdr.conf';
const IGNORE_ALL = 'net.ipv4.conf.all.arp_ignore';
const IGNORE_ETH0 = 'net.ipv4.conf.eth0.arp_ignore';
const plan = (args: Parameters<typeof sysctlModule.plan>[0], values: Record<string, unknown>, family: 'Debian' | 'RedHat' = 'Debian') =>
  sysctlModule.plan(args, stateOf(values), ctxFor(family));

describe('sysctl module', () => {
  for (const family of ['Debian', 'RedHat'] as const) {
    it(`${family}: sets the runtime value and adds its line to the layout's file`, () => {
      const p = plan({ name: IGNORE_ALL, value: 1 }, { [sysctlKey(IGNORE_ALL)]: '0', ...files({ [FILE]: absent }) }, family);
      expect(summaries(p)).toEqual([`${IGNORE_ALL} 0 → 1`, `add ${IGNORE_ALL} = 1 in ${FILE}`]);
      const [runtime, persist] = changesOf(p);
      expect(runtime.commands.map((c) => c.command.text)).toEqual([`sysctl -w ${IGNORE_ALL}=1`]);
      expect(runtime.effects).toEqual({ [sysctlKey(IGNORE_ALL)]: '1' });
      expect(persist.commands[0].command.text).toBe('[ -d /etc/sysctl.d ] || mkdir -p /etc/sysctl.d');
      expect(persist.commands[1].command.text).toMatch(/^tmp=\/etc\/sysctl\.d\/\.90-lvsdr\.conf\.lvsdr-\$\$ && .*mv -f "\$tmp" \/etc\/sysctl\.d\/90-lvsdr\.conf && sync \/etc\/sysctl\.d/);
      expect(persist.commands[1].stdin).toBe(`${IGNORE_ALL} = 1\n`);
      expect((persist.effects[fileKey(FILE)] as RemoteFile).content).toBe(`${IGNORE_ALL} = 1\n`);
    });
  }

  it('is a no-op with a reason when runtime and file agree', () => {
    const p = plan({ name: IGNORE_ALL, value: '1' }, { [sysctlKey(IGNORE_ALL)]: '1', ...files({ [FILE]: regular(`${IGNORE_ALL}=1\n`) }) });
    expect(p).toEqual({ kind: 'noop', reason: `${IGNORE_ALL} already 1; ${FILE} has it`, result: { value: '1' } });
  });

  it('reports the effective value when conf.all is higher than the interface value', () => {
    const values = { [sysctlKey(IGNORE_ETH0)]: '1', [sysctlKey(IGNORE_ALL)]: '2', ...files({ [FILE]: regular(`${IGNORE_ETH0} = 1\n`) }) };
    expect(plan({ name: IGNORE_ETH0, value: 1 }, values)).toEqual({
      kind: 'noop',
      reason: `${IGNORE_ETH0} already 1 (effective 2 because conf.all is 2); ${FILE} has it`,
      result: { value: '1', effective: '2' },
    });
    const change = plan({ name: 'net.ipv4.conf.eth0.rp_filter', value: 0 }, { [sysctlKey('net.ipv4.conf.eth0.rp_filter')]: '1', [sysctlKey('net.ipv4.conf.all.rp_filter')]: '2', ...files({ [FILE]: absent }) });
    expect(summaries(change)[0]).toBe('net.ipv4.conf.eth0.rp_filter 1 → 0 (effective 2 because conf.all is 2)');
    expect(probeKeys(sysctlModule, { name: IGNORE_ETH0, value: 1 }, ctxFor('Debian'))).toEqual([fileKey(FILE), sysctlKey(IGNORE_ALL), sysctlKey(IGNORE_ETH0)].sort());
    expect(probeKeys(sysctlModule, { name: 'net.ipv4.conf.eth0.forwarding', value: 1 }, ctxFor('Debian'))).toHaveLength(2);
  });

  it('says nothing extra when conf.all is not higher', () => {
    const p = plan({ name: IGNORE_ETH0, value: 2 }, { [sysctlKey(IGNORE_ETH0)]: '2', [sysctlKey(IGNORE_ALL)]: '1', ...files({ [FILE]: regular(`${IGNORE_ETH0} = 2\n`) }) });
    expect(p.kind === 'noop' && p.reason).toBe(`${IGNORE_ETH0} already 2; ${FILE} has it`);
  });

  it('edits only its own line, keeping other lines', () => {
    const before = `# lvs\n${IGNORE_ALL} = 0\nkernel.panic = 10\n`;
    const p = plan({ name: IGNORE_ALL, value: 1 }, { [sysctlKey(IGNORE_ALL)]: '1', ...files({ [FILE]: regular(before) }) });
    expect(summaries(p)).toEqual([`set ${IGNORE_ALL} = 1 in ${FILE}`]);
    expect(changesOf(p)[0].commands[0].stdin).toBe(`# lvs\n${IGNORE_ALL} = 1\nkernel.panic = 10\n`);
    expect(changesOf(p)[0].diff).toEqual({ kind: 'file', path: FILE, before, after: `# lvs\n${IGNORE_ALL} = 1\nkernel.panic = 10\n` });
  });

  it('composes: a second task plans on the file the first one will leave', () => {
    let values: Record<string, unknown> = { [sysctlKey(IGNORE_ALL)]: '0', [sysctlKey('net.ipv4.conf.all.arp_announce')]: '0', ...files({ [FILE]: absent }) };
    values = applyEffects(values, plan({ name: IGNORE_ALL, value: 1 }, values));
    const second = plan({ name: 'net.ipv4.conf.all.arp_announce', value: 2 }, values);
    expect(changesOf(second)[1].commands.at(-1)!.stdin).toBe(`${IGNORE_ALL} = 1\nnet.ipv4.conf.all.arp_announce = 2\n`);
    values = applyEffects(values, second);
    expect(plan({ name: IGNORE_ALL, value: 1 }, values).kind).toBe('noop');
  });

  it('treats tabs and spaces in multi-value parameters alike', () => {
    const name = 'net.ipv4.ip_local_port_range';
    const p = plan({ name, value: '32768 60999' }, { [sysctlKey(name)]: '32768 60999', ...files({ [FILE]: regular(`${name} = 32768\t60999\n`) }) });
    expect(p.kind).toBe('noop');
  });

  it('absent: removes its line, or the whole file when nothing else is left', () => {
    const some = plan({ name: IGNORE_ALL, state: 'absent' }, { [sysctlKey(IGNORE_ALL)]: '1', ...files({ [FILE]: regular(`${IGNORE_ALL} = 1\nkernel.panic = 10\n`) }) });
    expect(summaries(some)).toEqual([`remove ${IGNORE_ALL} from ${FILE}`]);
    expect(changesOf(some)[0].commands[0].stdin).toBe('kernel.panic = 10\n');
    const last = plan({ name: IGNORE_ALL, state: 'absent' }, { [sysctlKey(IGNORE_ALL)]: '1', ...files({ [FILE]: regular(`${IGNORE_ALL} = 1\n`) }) });
    expect(commandsOf(last)).toEqual([`rm -f ${FILE}`]);
    expect(changesOf(last)[0].effects).toEqual({ [fileKey(FILE)]: { exists: false } });
    const gone = plan({ name: IGNORE_ALL, state: 'absent' }, { [sysctlKey(IGNORE_ALL)]: '1', ...files({ [FILE]: absent }) });
    expect(gone).toMatchObject({ kind: 'noop', reason: `${IGNORE_ALL} already 1; not in ${FILE}` });
  });

  it('absent with a value puts that runtime value back', () => {
    const p = plan({ name: IGNORE_ALL, state: 'absent', value: 0 }, { [sysctlKey(IGNORE_ALL)]: '1', ...files({ [FILE]: regular(`${IGNORE_ALL} = 1\n`) }) });
    expect(commandsOf(p)).toEqual([`sysctl -w ${IGNORE_ALL}=0`, `rm -f ${FILE}`]);
  });

  it('reload: false leaves the runtime alone', () => {
    const p = plan({ name: IGNORE_ALL, value: 1, reload: false }, { [sysctlKey(IGNORE_ALL)]: '0', ...files({ [FILE]: regular(`${IGNORE_ALL} = 1\n`) }) });
    expect(p).toMatchObject({ kind: 'noop', reason: `${IGNORE_ALL} runtime 0 (not managed); ${FILE} has it` });
  });

  it('fails on a parameter the kernel does not have (a missing interface)', () => {
    const p = plan({ name: 'net.ipv4.conf.eth9.arp_ignore', value: 1 }, { [sysctlKey('net.ipv4.conf.eth9.arp_ignore')]: null, [sysctlKey(IGNORE_ALL)]: '0', ...files({ [FILE]: absent }) });
    expect(p).toMatchObject({ kind: 'fail', message: expect.stringMatching(/does not exist on this host/) });
  });

  it('uses the file argument, and fails on an unknown OS family without one', () => {
    const other = '/etc/sysctl.d/50-other.conf';
    const p = plan({ name: IGNORE_ALL, value: 1, file: other }, { [sysctlKey(IGNORE_ALL)]: '1', ...files({ [other]: absent }) });
    expect(summaries(p)).toEqual([`add ${IGNORE_ALL} = 1 in ${other}`]);
    const unknown = sysctlModule.plan({ name: IGNORE_ALL, value: 1 }, stateOf({ [sysctlKey(IGNORE_ALL)]: '1' }), ctxFor('Debian', { osFamily: 'Arch' }));
    expect(unknown).toMatchObject({ kind: 'fail', message: expect.stringMatching(/not on "Arch"; set file/) });
  });

  it('schema: refuses hostile names, values and files; needs a value when present', () => {
    const valid = validator(sysctlModule);
    expect(valid({ name: IGNORE_ALL, value: 1 })).toBe(true);
    expect(valid({ name: 'net.ipv4.conf.eth0/100.arp_ignore', value: '1' })).toBe(true);
    expect(valid({ name: 'net.ipv4.ip_local_port_range', value: '32768 60999' })).toBe(true);
    expect(valid({ name: IGNORE_ALL, state: 'absent' })).toBe(true);
    expect(valid({ name: IGNORE_ALL })).toBe(false);
    for (const h of HOSTILE) {
      expect(valid({ name: IGNORE_ALL, value: h })).toBe(false);
      expect(valid({ name: h, value: 1 })).toBe(false);
      expect(valid({ name: IGNORE_ALL, value: 1, file: `/etc/sysctl.d/${h}.conf` })).toBe(false);
    }
    expect(valid({ name: IGNORE_ALL, value: 1, file: '/etc/sysctl.d/90-lvsdr.txt' })).toBe(false);
    expect(valid({ name: IGNORE_ALL, value: 1, file: '/etc/sysctl.d/../../x.conf' })).toBe(false);
    expect(valid({ name: IGNORE_ALL, value: 1, nope: true })).toBe(false);
  });
});
