/** debug (Ansible's debug action) and ansible.posix.sysctl (its arguments and file format, lvsdr's runtime checks). */
import { describe, expect, it } from 'vitest';
import { debugModule } from '../../src/modules/debug.ts';
import { sysctlKey } from '../support/fact-keys.ts';
import { fileValues, posixSysctlModule, rewrittenFile, sysctlValue } from '../../src/modules/posix-sysctl.ts';
import { fileKey } from '../../src/modules/remote-file.ts';
import { getModule } from '../../src/modules/registry.ts';
import type { ModuleContext } from '../../src/modules/types.ts';
import { keysRead } from '../support/fact-state.ts';
import { absent, commandsOf, ctxFor, regular, stateOf, summaries } from './lvs-helpers.ts';

const withVars = (vars: Record<string, unknown>): ModuleContext => ({ ...ctxFor('Debian'), vars });

describe('debug', () => {
  it('shows msg, a variable, or Hello world!, and changes nothing', () => {
    expect(debugModule.plan({ msg: 'hi' }, stateOf({}), withVars({}))).toEqual({ kind: 'noop', reason: 'hi', result: { msg: 'hi' } });
    expect(debugModule.plan({}, stateOf({}), withVars({}))).toMatchObject({ result: { msg: 'Hello world!' } });
    expect(debugModule.plan({ var: 'a.b' }, stateOf({}), withVars({ a: { b: [1, 2] } }))).toEqual({ kind: 'noop', reason: 'a.b: [1,2]', result: { 'a.b': [1, 2] } });
    expect(debugModule.plan({ var: 'nope' }, stateOf({}), withVars({}))).toMatchObject({ result: { nope: 'VARIABLE IS NOT DEFINED!' } });
  });
  it('refuses msg with var, and a verbosity lvsdr cannot honour', () => {
    expect(debugModule.argProblems!({ msg: 'a', var: 'b' })).toEqual([{ path: '/var', message: "'msg' and 'var' are incompatible options" }]);
    expect(debugModule.argProblems!({ msg: 'a', verbosity: 2 })[0].path).toBe('/verbosity');
    expect(debugModule.argProblems!({ msg: 'a', verbosity: '0' })).toEqual([]);
  });
});

describe('ansible.posix.sysctl', () => {
  const FILE = '/etc/sysctl.conf';
  const NAME = 'net.ipv4.conf.all.arp_ignore';
  const plan = (args: object, runtime: string | null, file = absent) =>
    posixSysctlModule.plan(args, stateOf({ [sysctlKey(NAME)]: runtime, [fileKey(FILE)]: file }), ctxFor('Debian'));
  it("probes conf.all too for an interface's arp_ignore, whose effective value the plan reports (a loop over lo and all failed: 'was not probed')", () => {
    const args = { name: 'net.ipv4.conf.lo.arp_ignore', value: '1', sysctl_file: '/etc/sysctl.d/90-lvs-rs.conf' };
    expect(keysRead(posixSysctlModule, args, ctxFor('Debian'))).toEqual([fileKey('/etc/sysctl.d/90-lvs-rs.conf'), sysctlKey('net.ipv4.conf.all.arp_ignore'), sysctlKey('net.ipv4.conf.lo.arp_ignore')].sort());
    const state = stateOf({ [sysctlKey('net.ipv4.conf.lo.arp_ignore')]: '0', [sysctlKey('net.ipv4.conf.all.arp_ignore')]: '2', [fileKey('/etc/sysctl.d/90-lvs-rs.conf')]: absent });
    expect(summaries(posixSysctlModule.plan(args, state, ctxFor('Debian'))).join('\n')).toContain('(effective 2 because conf.all is 2)');
  });
  it('is found under its collection name', () => {
    expect(getModule('ansible.posix.sysctl')).toBe(posixSysctlModule);
  });
  it('reads and writes the file as the collection module does', () => {
    const text = '# comment\n  a.b = 1\nc.d=2\na.b=3\n';
    expect(fileValues(text)).toEqual(new Map([['a.b', '3'], ['c.d', '2']]));
    expect(rewrittenFile(text, 'c.d', '5')).toBe('# comment\na.b=1\nc.d=5\n');
    expect(rewrittenFile(text, 'a.b', null)).toBe('# comment\nc.d=2\n');
    expect(rewrittenFile('', 'x.y', '1')).toBe('x.y=1\n');
    expect([sysctlValue(true), sysctlValue('yes'), sysctlValue(' 2 '), sysctlValue(1)]).toEqual(['1', '1', '2', '1']);
  });
  it('writes the file and reloads it by default; sets the runtime value with sysctl_set', () => {
    expect(commandsOf(plan({ name: NAME, value: '1' }, '0'))).toEqual(['[ -d /etc ] || mkdir -p /etc', expect.stringContaining('dd of='), 'sysctl -p /etc/sysctl.conf']);
    expect(commandsOf(plan({ key: NAME, val: 1, sysctl_set: 'yes', reload: 'no' }, '0'))[0]).toBe(`sysctl -w ${NAME}=1`);
    expect(summaries(plan({ name: NAME, value: '1' }, '0', regular(`${NAME}=1\n`)))).toEqual([`sysctl -p ${FILE} (${NAME} 0 → 1)`]);
  });
  it('is a no-op when file and runtime agree, and leaves the runtime alone without reload or sysctl_set', () => {
    expect(plan({ name: NAME, value: '1' }, '1', regular(`${NAME} = 1\n`)).kind).toBe('noop');
    expect(plan({ name: NAME, value: '1', reload: false }, '0', regular(`${NAME}=1\n`)).kind).toBe('noop');
  });
  it('removes the key from the file with state absent', () => {
    const p = plan({ name: NAME, state: 'absent' }, '1', regular(`a.b=1\n${NAME}=1\n`));
    expect(p.kind === 'change' && p.changes[0].diff).toMatchObject({ after: 'a.b=1\n' });
  });
  it("refuses a key the kernel does not have, unless ignoreerrors", () => {
    expect(plan({ name: NAME, value: '1' }, null)).toMatchObject({ kind: 'fail', message: expect.stringContaining('does not exist on this host') });
    expect(commandsOf(plan({ name: NAME, value: '1', ignoreerrors: true }, null))).toEqual(['[ -d /etc ] || mkdir -p /etc', expect.stringContaining('dd of='), 'sysctl -e -p /etc/sysctl.conf']);
  });
  it('checks its arguments as the module does', () => {
    expect(posixSysctlModule.argProblems!({ name: NAME })[0].message).toBe('state is present but all of the following are missing: value');
    expect(posixSysctlModule.argProblems!({ name: NAME, value: ' ' })[0].message).toBe('value cannot be blank');
    expect(posixSysctlModule.argProblems!({ name: NAME, key: NAME, value: 1 })[0].message).toContain('same argument');
  });
});
