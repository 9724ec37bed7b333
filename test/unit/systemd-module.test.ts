/** systemd / systemd_service / service: Ansible's arguments and choices (ansible/modules/systemd.py), planned from unit state. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { serviceModule } from '../../src/modules/service.ts';
import { systemdModule } from '../../src/modules/systemd.ts';
import { localUnitPath, parseServiceState, parseSystemctlShow, serviceKey } from '../../src/modules/unit-state.ts';
import { fileKey, type RemoteFile } from '../../src/modules/remote-file.ts';
import type { Plan } from '../../src/modules/types.ts';
import { absent, applyEffects, commandsOf, ctxFor, regular, stateOf, validator } from './lvs-helpers.ts';

const captured = (name: string) => readFileSync(`test/fixtures/captured/systemctl-show-${name}.txt`, 'utf8');
const st = (enabled: string, active: string) => parseServiceState({ code: 0, stdout: `${enabled}\n${active}\n`, stderr: '' });
const values = (name: string, enabled: string, active: string, unitFile: RemoteFile = absent): Record<string, unknown> => ({
  [serviceKey(name)]: st(enabled, active),
  [`${serviceKey(name)}#show`]: { ActiveState: active },
  [fileKey(localUnitPath(name))]: unitFile,
});
const ctx = ctxFor('Debian');
const offline = ctxFor('Debian', { systemdRunning: false });
const plan = (args: object, v: Record<string, unknown>, c = ctx): Plan => systemdModule.plan(args, stateOf(v), c);

describe('systemctl show, as captured on a lab host', () => {
  it('reads every property of a running unit, Exec values whole', () => {
    const s = parseSystemctlShow(captured('active'));
    expect(s).toMatchObject({ Id: 'ssh.service', LoadState: 'loaded', ActiveState: 'active', UnitFileState: 'enabled', Names: 'ssh.service sshd.service' });
    expect(s.ExecStart).toMatch(/^\{ path=\/usr\/sbin\/sshd ; argv\[\]=\/usr\/sbin\/sshd -D \$SSHD_OPTS ;.* \}$/);
    // Two ExecReload lines: the last one stands, as in Ansible's dict.
    expect(s.ExecReload).toMatch(/\/bin\/kill -HUP/);
    expect(Object.keys(s).length).toBeGreaterThan(200);
  });
  it('reads a stopped, a missing and a masked unit', () => {
    expect(parseSystemctlShow(captured('inactive'))).toMatchObject({ Id: 'firewalld.service', ActiveState: 'inactive', UnitFileState: 'disabled' });
    expect(parseSystemctlShow(captured('not-found'))).toMatchObject({ LoadState: 'not-found', ActiveState: 'inactive' });
    expect(parseSystemctlShow(captured('masked'))).toMatchObject({ LoadState: 'masked', UnitFileState: 'masked' });
  });
  it('joins an Exec value over several lines; a lone brace elsewhere is a value of its own', () => {
    expect(parseSystemctlShow('ExecStart={ path=/bin/a ;\n argv[]=/bin/a x }\nDescription={ odd\nId=a.service\n')).toEqual({
      ExecStart: '{ path=/bin/a ;\n argv[]=/bin/a x }',
      Description: '{ odd',
      Id: 'a.service',
    });
  });
  it('has nothing to read when systemd is not running', () => {
    expect(parseSystemctlShow('')).toEqual({});
  });
});

describe('arguments as Ansible takes them', () => {
  const valid = validator(systemdModule);
  it('takes boolean words, aliases and scope system', () => {
    for (const word of ['yes', 'No', ' true ', 'on', 'OFF', 'y', 'f', '1', 0, 1, true]) expect(valid({ name: 'a', enabled: word })).toBe(true);
    expect(valid({ unit: 'a', state: 'started', scope: 'system' })).toBe(true);
    expect(valid({ 'daemon-reload': 'yes' })).toBe(true);
  });
  it('refuses what it does not do or Ansible does not take', () => {
    expect(valid({ name: 'a', enabled: 'maybe' })).toBe(false);
    expect(valid({ name: 'a', enabled: 2 })).toBe(false);
    expect(valid({ name: 'a', state: 'started', scope: 'user' })).toBe(false);
    expect(valid({ name: 'a', state: 'started', no_block: true })).toBe(false);
    expect(valid({ name: 'a*', state: 'started' })).toBe(false);
    expect(valid({ name: 'a' })).toBe(false);
    expect(validator(serviceModule)({ name: 'a', state: 'started', sleep: 3 })).toBe(false);
  });
  it('refuses a name given twice and a state without a unit', () => {
    expect(systemdModule.argProblems!({ name: 'a', service: 'b', state: 'started' })).toEqual([{ path: '/service', message: "'service' and 'name' are the same argument (name); give it once" }]);
    expect(systemdModule.argProblems!({ state: 'started' })).toEqual([{ path: '/state', message: "'state' needs 'name' (or its aliases service, unit): which unit?" }]);
  });
});

describe('planning', () => {
  it('enables and starts only what is not so already; boolean words mean the same', () => {
    expect(commandsOf(plan({ name: 'sshd', enabled: 'yes', state: 'started' }, values('sshd', 'disabled', 'inactive')))).toEqual(['systemctl enable sshd', 'systemctl start sshd']);
    const again = plan({ service: 'sshd', enabled: true, state: 'started' }, values('sshd', 'enabled', 'active'));
    expect(again).toEqual({ kind: 'noop', reason: 'sshd is already enabled and active', result: { name: 'sshd', enabled: true, state: 'started', status: { ActiveState: 'active' } } });
  });
  it('counts static and generated units enabled, indirect and alias ones not (is-enabled, as Ansible reads it)', () => {
    expect(plan({ name: 'a', enabled: true }, values('a', 'static', 'active')).kind).toBe('noop');
    expect(plan({ name: 'a', enabled: true }, values('a', 'generated', 'active')).kind).toBe('noop');
    expect(commandsOf(plan({ name: 'a', enabled: true }, values('a', 'alias', 'active')))).toEqual(['systemctl enable a']);
    expect(commandsOf(plan({ name: 'a', enabled: true }, values('a', 'indirect', 'active')))).toEqual(['systemctl enable a']);
  });
  it('masks and unmasks, before enabling', () => {
    expect(commandsOf(plan({ name: 'a', masked: true }, values('a', 'disabled', 'inactive')))).toEqual(['systemctl mask a']);
    expect(plan({ name: 'a', masked: true }, values('a', 'masked', 'inactive')).kind).toBe('noop');
    expect(commandsOf(plan({ name: 'a', masked: false, enabled: true }, values('a', 'masked', 'inactive')))).toEqual(['systemctl unmask a', 'systemctl enable a']);
    // Masking works on a unit that does not exist yet, as systemctl mask does.
    expect(commandsOf(plan({ name: 'ghost', masked: true }, values('ghost', 'not-found', 'inactive')))).toEqual(['systemctl mask ghost']);
  });
  it('restarts and reloads a running unit, starts a stopped one, stops a deactivating one', () => {
    expect(commandsOf(plan({ name: 'x', state: 'restarted' }, values('x', 'enabled', 'active')))).toEqual(['systemctl restart x']);
    expect(commandsOf(plan({ name: 'x', state: 'reloaded' }, values('x', 'enabled', 'active')))).toEqual(['systemctl reload x']);
    const p = plan({ name: 'x', state: 'reloaded' }, values('x', 'enabled', 'failed'));
    expect(commandsOf(p)).toEqual(['systemctl start x']);
    expect(p.kind === 'change' && p.result?.state).toBe('started');
    expect(commandsOf(plan({ name: 'x', state: 'stopped' }, values('x', 'enabled', 'deactivating')))).toEqual(['systemctl stop x']);
    expect(plan({ name: 'x', state: 'stopped' }, values('x', 'enabled', 'failed')).kind).toBe('noop');
  });
  it('runs daemon-reload first, without counting it a change', () => {
    expect(commandsOf(plan({ name: 'x', daemon_reload: true, state: 'started' }, values('x', 'enabled', 'inactive')))).toEqual(['systemctl daemon-reload', 'systemctl start x']);
    const alone = plan({ name: 'x', daemon_reload: 'yes', state: 'started' }, values('x', 'enabled', 'active'));
    expect(alone).toMatchObject({ kind: 'action', countsAsChange: false, summary: 'systemctl daemon-reload (x is already enabled and active)' });
    expect(plan({ 'daemon-reexec': true }, {})).toMatchObject({ kind: 'action', countsAsChange: false, commands: [{ command: { text: 'systemctl daemon-reexec' } }] });
    expect(plan({ daemon_reload: true }, {}, offline)).toMatchObject({ kind: 'fail', message: expect.stringContaining('systemd is not running') });
  });
  it('enables without a running systemd but refuses to start; a missing unit fails as in Ansible', () => {
    const v = values('x', 'disabled', 'offline');
    expect(commandsOf(plan({ name: 'x', enabled: true }, v, offline))).toEqual(['systemctl enable x']);
    expect(plan({ name: 'x', state: 'started' }, v, offline).kind).toBe('fail');
    expect(plan({ name: 'nope', state: 'started' }, values('nope', 'not-found', 'inactive'))).toEqual({ kind: 'fail', message: 'Could not find the requested service nope: host' });
  });
  it('plans on a unit file an earlier task will write (check mode), and records the would-be unit', () => {
    const v = values('new', 'not-found', 'inactive', regular('[Unit]\n'));
    const p = plan({ name: 'new', enabled: true, state: 'started' }, v);
    expect(commandsOf(p)).toEqual(['systemctl enable new', 'systemctl start new']);
    const after = applyEffects(v, p);
    expect(plan({ name: 'new', enabled: true, state: 'started' }, after).kind).toBe('noop');
  });
  it('service is the same module under its own name', () => {
    expect(commandsOf(serviceModule.plan({ name: 'sshd', enabled: 'no' }, stateOf(values('sshd', 'enabled', 'active')), ctx))).toEqual(['systemctl disable sshd']);
  });
});
