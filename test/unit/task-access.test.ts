/**
 * Who a task runs as and how its host is reached: variables beat task keywords, which beat play
 * keywords, which beat the command line. Each row was run with ansible-playbook 2.14 (Debian's
 * ansible-core) against localhost (`command: id -un`, `-vvv` for the ssh user) first.
 */
import { describe, expect, it } from 'vitest';
import { accessKey, AccessError, resolveAccess, type AccessDefaults, type AccessKeywords } from '../../src/core/executor/task-access.ts';
import { accessVarProblem, ansibleBoolean } from '../../src/core/access-vars.ts';

const cli: AccessDefaults = { become: false };

function who(task: AccessKeywords, play: AccessKeywords, vars: Record<string, unknown> = {}, defaults = cli): string {
  const a = resolveAccess([task, play], defaults, vars);
  return a.become ? a.becomeUser : 'login';
}

describe('become and become_user', () => {
  it.each([
    // [task keywords, play keywords, variables, -b/--become-user, runs as]
    [{}, {}, {}, cli, 'login'],
    [{}, { become: true, becomeUser: 'daemon' }, {}, cli, 'daemon'],
    [{ become: false }, { become: true, becomeUser: 'daemon' }, {}, cli, 'login'],
    [{ becomeUser: 'bin' }, { become: true, becomeUser: 'daemon' }, {}, cli, 'bin'],
    [{}, { become: true, becomeUser: 'daemon' }, { ansible_become: true }, cli, 'daemon'],
    [{ become: false }, { become: true }, { ansible_become: true }, cli, 'root'],
    [{ becomeUser: 'bin' }, { become: true, becomeUser: 'daemon' }, { ansible_become: false }, cli, 'login'],
    [{ becomeUser: 'bin' }, { become: true, becomeUser: 'daemon' }, { ansible_become: 'no' }, cli, 'login'],
    [{ becomeUser: 'bin' }, { become: true, becomeUser: 'daemon' }, { ansible_become_user: 'nobody' }, cli, 'nobody'],
    [{ become: false }, { become: true }, { ansible_become_user: 'nobody' }, cli, 'login'],
    [{}, { become: true }, { ansible_become_user: 'daemon', ansible_sudo_user: 'bin' }, cli, 'bin'],
    // -b and --become-user are only the keywords' defaults.
    [{}, { become: false, becomeUser: 'daemon' }, {}, { become: true, becomeUser: 'bin' }, 'login'],
    [{}, {}, {}, { become: true, becomeUser: 'bin' }, 'bin'],
    [{ becomeUser: 'daemon' }, {}, {}, { become: true, becomeUser: 'bin' }, 'daemon'],
    [{ becomeUser: 'daemon' }, {}, { ansible_become_user: 'games' }, { become: true }, 'games'],
  ] as [AccessKeywords, AccessKeywords, Record<string, unknown>, AccessDefaults, string][])('task %j, play %j, vars %j, cli %j: %s', (task, play, vars, defaults, expected) => {
    expect(who(task, play, vars, defaults)).toBe(expected);
  });

  it('renders a templated become_user and variable with the host variables', () => {
    expect(who({ becomeUser: '{{ app }}' }, { become: true }, { app: 'daemon' })).toBe('daemon');
    expect(who({}, { become: true }, { ansible_become_user: '{{ app }}', app: 'bin' })).toBe('bin');
  });

  it('takes the become password from ansible_sudo_pass, ansible_become_pass or ansible_become_password', () => {
    expect(resolveAccess([], cli, { ansible_become_password: 'a' }).becomePassword).toBe('a');
    expect(resolveAccess([], cli, { ansible_become_password: 'a', ansible_become_pass: 'b' }).becomePassword).toBe('b');
    expect(resolveAccess([], cli, {}).becomePassword).toBeUndefined();
  });

  it('fails a value that renders to something lvsdr cannot use', () => {
    expect(() => resolveAccess([], cli, { ansible_become: '{{ x }}', x: 'perhaps' })).toThrow(AccessError);
    expect(() => resolveAccess([], cli, { ansible_become_method: '{{ m }}', m: 'su' })).toThrow(/sudo only/);
    expect(() => resolveAccess([], cli, { ansible_connection: '{{ c }}', c: 'docker' })).toThrow(/ssh \(also called smart\) or local/);
    expect(() => resolveAccess([{ becomeUser: '{{ nobody_knows }}' }], { become: true }, {})).toThrow(AccessError);
  });
});

describe('connection and remote_user', () => {
  const route = (task: AccessKeywords, play: AccessKeywords, vars: Record<string, unknown> = {}, defaults: AccessDefaults = cli) => {
    const a = resolveAccess([task, play], defaults, vars);
    return a.connection === 'local' ? 'local' : `ssh ${a.remoteUser ?? '-'}`;
  };

  it.each([
    [{}, {}, {}, cli, 'ssh -'],
    [{}, { connection: 'local' }, {}, cli, 'local'],
    [{ connection: 'ssh' }, { connection: 'local' }, {}, cli, 'ssh -'],
    [{}, { connection: 'local' }, { ansible_connection: 'ssh' }, cli, 'ssh -'],
    [{ connection: 'ssh' }, {}, { ansible_connection: 'local' }, cli, 'local'],
    [{}, {}, { ansible_connection: 'smart' }, cli, 'ssh -'],
    [{}, {}, {}, { become: false, connection: 'local' }, 'local'],
    [{}, { connection: 'ssh' }, {}, { become: false, connection: 'local' }, 'ssh -'],
    [{}, {}, {}, { become: false, remoteUser: 'cliu' }, 'ssh cliu'],
    [{}, { remoteUser: 'playu' }, {}, { become: false, remoteUser: 'cliu' }, 'ssh playu'],
    [{ remoteUser: 'tasku' }, { remoteUser: 'playu' }, {}, cli, 'ssh tasku'],
    [{ remoteUser: 'tasku' }, { remoteUser: 'playu' }, { ansible_user: 'invu' }, { become: false, remoteUser: 'cliu' }, 'ssh invu'],
    [{}, {}, { ansible_user: 'invu', ansible_ssh_user: 'sshu' }, cli, 'ssh sshu'],
    // The local connection runs as whoever runs lvsdr: there is no login user.
    [{ remoteUser: 'tasku' }, { connection: 'local' }, { ansible_user: 'invu' }, cli, 'local'],
  ] as [AccessKeywords, AccessKeywords, Record<string, unknown>, AccessDefaults, string][])('task %j, play %j, vars %j, cli %j: %s', (task, play, vars, defaults, expected) => {
    expect(route(task, play, vars, defaults)).toBe(expected);
  });

  it('gives tasks reached the same way as the same user one key, and others another', () => {
    const key = (task: AccessKeywords) => accessKey(resolveAccess([task, { become: true }], cli, {}));
    expect(key({})).toBe(key({ becomeUser: 'root' }));
    expect(key({ becomeUser: 'daemon' })).not.toBe(key({}));
    expect(key({ become: false })).not.toBe(key({}));
    expect(key({ connection: 'local' })).not.toBe(key({}));
    expect(key({ remoteUser: 'other' })).not.toBe(key({}));
  });
});

describe('access variables', () => {
  it("reads booleans as Ansible's boolean() does", () => {
    for (const v of [true, 'yes', 'Yes', 'on', '1', 1, 'true', 'True', 'y', 't']) expect(ansibleBoolean(v)).toBe(true);
    for (const v of [false, 'no', 'off', '0', 0, 'false', 'n', 'f']) expect(ansibleBoolean(v)).toBe(false);
    for (const v of ['maybe', 2, null, [], '']) expect(ansibleBoolean(v)).toBeUndefined();
  });

  it.each([
    ['ansible_connection', 'docker', /not supported: lvsdr connects with ssh/],
    ['ansible_connection', 'paramiko', /not supported/],
    ['ansible_become', 'maybe', /not a boolean/],
    ['ansible_become_method', 'su', /sudo only/],
    ['ansible_become_user', '', /not a user name/],
    ['ansible_become_password', ['x'], /not a password/],
    ['ansible_become_pass', 'a\nb', /newline/],
    ['ansible_become_flags', '-i', /ansible_become_flags is not supported/],
    ['ansible_become_exe', 'doas', /not supported/],
    ['ansible_sudo_flags', '-E', /not supported/],
    ['ansible_password', 'secret', /not supported/],
    ['ansible_ssh_common_args', '-o ProxyJump=bastion', /not supported/],
    ['ansible_su_user', 'root', /not supported/],
    ['ansible_shell_executable', '/bin/bash', /not supported/],
    ['ansible_shell_type', 'csh', /not supported/],
    ['ansible_host_key_checking', false, /not supported/],
    ['ansible_ssh_host_key_checking', 'no', /not supported/],
    ['ansible_ssh_retries', 3, /not supported/],
    ['ansible_timeout', 'soon', /not a whole number of seconds/],
    ['ansible_ssh_timeout', '{{ t }}', /not a whole number of seconds/],
    ['ansible_timeout', 0, /not a whole number of seconds/],
  ])('%s: %j is refused', (name, value, message) => {
    expect(accessVarProblem(name, value)?.message).toMatch(message);
  });

  it.each([
    ['ansible_connection', 'ssh'],
    ['ansible_connection', 'smart'],
    ['ansible_connection', 'local'],
    ['ansible_connection', '{{ conn }}'],
    ['ansible_become', 'yes'],
    ['ansible_become_method', 'sudo'],
    ['ansible_become_user', 'postgres'],
    ['ansible_become_password', 1234],
    ['unrelated', 'anything'],
    ['ansible_python_interpreter', '/usr/bin/python3'],
    ['ansible_pipelining', true],
    ['ansible_shell_executable', '/bin/sh'],
    ['ansible_shell_type', 'sh'],
    ['ansible_host_key_checking', 'yes'],
    ['ansible_ssh_retries', '0'],
    ['ansible_timeout', '30'],
    ['ansible_ssh_timeout', 5],
  ])('%s: %j is accepted', (name, value) => {
    expect(accessVarProblem(name, value)).toBeUndefined();
  });
});
