import { describe, expect, it } from 'vitest';
import { copyModule } from '../../src/modules/copy.ts';
import { fileModule } from '../../src/modules/file.ts';
import { commandModule, shellModule } from '../../src/modules/command.ts';
import { checkArgsAgainst, withAnsibleStrings } from '../../src/core/playbook/args-schema.ts';
import { lineinfileModule } from '../../src/modules/lineinfile.ts';
import { waitForModule } from '../../src/modules/wait-for.ts';
import { fileKey, type RemoteFile } from '../../src/modules/remote-file.ts';
import type { ModuleContext, Plan } from '../../src/modules/types.ts';
import { stateOf } from '../support/fact-state.ts';
import type { HostFacts } from '../../src/facts/types.ts';

const facts: HostFacts = {
  hostname: 'rs1', osFamily: 'Debian', distribution: 'debian', distributionVersion: '12', systemdRunning: true,
  interfaces: [], tools: {},
};
const ctx = (over: Partial<HostFacts> = {}): ModuleContext => ({
  facts: { ...facts, ...over }, vars: {}, playbookDir: '/nonexistent', searchDirs: [], taskDir: '/nonexistent', renderTemplate: (t) => t,
});
const regular = (content: string, mode = '644'): RemoteFile => ({ exists: true, type: 'regular file', mode, owner: 'root', group: 'root', size: content.length, content });
const commandsOf = (p: Plan): string[] => (p.kind === 'change' ? p.changes.flatMap((c) => c.commands.map((x) => x.command.text)) : p.kind === 'action' ? p.commands.map((x) => x.command.text) : []);

describe('copy', () => {
  const dest = '/etc/lvsdr/x.conf';
  it('creates a missing file atomically, content on stdin, and records the would-be file', () => {
    const plan = copyModule.plan({ dest, content: 'a=1\n' }, stateOf({ [fileKey(dest)]: { exists: false } }), ctx());
    expect(plan.kind).toBe('change');
    if (plan.kind !== 'change') return;
    expect(plan.changes[0].summary).toBe(`create ${dest}`);
    expect(plan.changes[0].commands[0].stdin).toBe('a=1\n');
    expect(plan.changes[0].commands[0].command.text).toMatch(/^tmp=\/etc\/lvsdr\/\.x\.conf\.lvsdr-\$\$ && \{ umask 0133 && dd of="\$tmp" bs=65536 conv=excl,fsync status=none .*&& mv -f "\$tmp" \/etc\/lvsdr\/x\.conf/);
    expect(plan.changes[0].diff).toEqual({ kind: 'file', path: dest, before: null, after: 'a=1\n' });
    expect((plan.changes[0].effects[fileKey(dest)] as RemoteFile).content).toBe('a=1\n');
  });
  it('is a no-op when content and attributes match', () => {
    const plan = copyModule.plan({ dest, content: 'a=1\n', mode: '0644' }, stateOf({ [fileKey(dest)]: regular('a=1\n') }), ctx());
    expect(plan).toEqual({ kind: 'noop', reason: `${dest} already has this content` });
  });
  it('only fixes the mode when the content matches', () => {
    const plan = copyModule.plan({ dest, content: 'a=1\n', mode: '0600' }, stateOf({ [fileKey(dest)]: regular('a=1\n') }), ctx());
    expect(commandsOf(plan)).toEqual([`chmod 0600 ${dest}`]);
  });
  it('refuses to write over a directory', () => {
    const plan = copyModule.plan({ dest, content: '' }, stateOf({ [fileKey(dest)]: { exists: true, type: 'directory' } }), ctx());
    expect(plan.kind).toBe('fail');
  });
  it('reads src relative to the playbook and fails clearly when missing', () => {
    const plan = copyModule.plan({ dest, src: 'files/none' }, stateOf({ [fileKey(dest)]: { exists: false } }), ctx());
    expect(plan).toMatchObject({ kind: 'fail', message: expect.stringContaining('/nonexistent/files/none') });
  });
});

describe('file', () => {
  it('creates a directory with mkdir -p and the wanted mode', () => {
    const plan = fileModule.plan({ path: '/etc/lvsdr', state: 'directory', mode: '0750' }, stateOf({ [fileKey('/etc/lvsdr')]: { exists: false } }), ctx());
    expect(commandsOf(plan)).toEqual([
      'set -- && d=/etc/lvsdr && while [ ! -e "$d" ]; do set -- "$d" "$@"; d=$(dirname -- "$d"); done && mkdir -p -- /etc/lvsdr && for d in "$@"; do chmod 0750 -- "$d" || exit 1; done',
    ]);
  });
  it('removes an existing path and is a no-op once it is gone', () => {
    const p = '/etc/lvsdr';
    expect(commandsOf(fileModule.plan({ path: p, state: 'absent' }, stateOf({ [fileKey(p)]: { exists: true, type: 'directory' } }), ctx()))).toEqual(['rm -rf -- /etc/lvsdr']);
    expect(fileModule.plan({ path: p, state: 'absent' }, stateOf({ [fileKey(p)]: { exists: false } }), ctx()).kind).toBe('noop');
  });
  it('will not turn a file into a directory', () => {
    expect(fileModule.plan({ path: '/x', state: 'directory' }, stateOf({ [fileKey('/x')]: regular('') }), ctx()).kind).toBe('fail');
  });
});

describe('command and shell', () => {
  it('command runs words, quoted, without a shell', () => {
    const plan = commandModule.plan({ cmd: `echo "a b" 'c;d' x` }, stateOf({}), ctx());
    expect(commandsOf(plan)).toEqual([`echo 'a b' 'c;d' x`]);
    // `$HOME` is expanded on the host as Ansible's run_command expands it (command-expansion.test.ts).
    expect(commandsOf(commandModule.plan({ cmd: 'echo $HOME' }, stateOf({}), ctx()))[0]).toContain('if printenv HOME >/dev/null 2>&1');
  });
  it('shell passes the line to /bin/sh -c, quoted once', () => {
    expect(commandsOf(shellModule.plan({ cmd: 'echo $HOME | wc -c', chdir: '/tmp' }, stateOf({}), ctx()))).toEqual([`cd /tmp && /bin/sh -c 'echo $HOME | wc -c'`]);
  });
  it('creates and removes make it a no-op', () => {
    expect(commandModule.plan({ cmd: 'x', creates: '/a' }, stateOf({ [fileKey('/a')]: regular('') }), ctx()).kind).toBe('noop');
    expect(commandModule.plan({ cmd: 'x', removes: '/a' }, stateOf({ [fileKey('/a')]: { exists: false } }), ctx()).kind).toBe('noop');
    expect(commandModule.plan({ cmd: 'x', creates: '/a' }, stateOf({ [fileKey('/a')]: { exists: false } }), ctx()).kind).toBe('action');
  });
});

describe('modes written the YAML 1.1 way', () => {
  it('an unquoted 0640 (the number 416) is the mode 0640', () => {
    const dest = '/etc/x';
    const plan = copyModule.plan({ dest, content: 'a', mode: 0o640 }, stateOf({ [fileKey(dest)]: regular('a') }), ctx());
    expect(commandsOf(plan)).toEqual(['chmod 0640 /etc/x']);
    expect(fileModule.plan({ path: dest, mode: 0o644 }, stateOf({ [fileKey(dest)]: regular('a') }), ctx()).kind).toBe('noop');
  });
});

describe('integers rendered into string arguments', () => {
  it('become Python\'s str() of them (integers, booleans; lists stay refused), as AnsibleModule converts them for a str option (ansible/ansible-examples lamp_haproxy: regexp="{{ listenport }}")', () => {
    const args = withAnsibleStrings(lineinfileModule, { path: '/etc/x', regexp: 8888, line: 8888, create: true, mode: 420 });
    expect(args).toEqual({ path: '/etc/x', regexp: '8888', line: '8888', create: true, mode: 420 });
    const at = { argPositions: new Map(), argsPos: { file: 'site.yml', line: 1, col: 1 }, noLog: false };
    expect(checkArgsAgainst(lineinfileModule, at, args)).toEqual([]);
    expect(withAnsibleStrings(lineinfileModule, { path: '/etc/x', line: [8080], regexp: true })).toEqual({ path: '/etc/x', line: [8080], regexp: 'True' });
    // An argument that is not only a string keeps its value: mode takes numbers too.
    expect(withAnsibleStrings(lineinfileModule, { path: '/etc/x', mode: 420 })).toEqual({ path: '/etc/x', mode: 420 });
  });

  it('wait_for takes port and timeout as digit strings, as `wait_for: port=80 timeout=20` gives them (ansible/ansible-examples lamp_haproxy)', () => {
    const at = { argPositions: new Map(), argsPos: { file: 'site.yml', line: 1, col: 1 }, noLog: false };
    expect(checkArgsAgainst(waitForModule, at, { port: '80', timeout: '20' })).toEqual([]);
    expect(checkArgsAgainst(waitForModule, at, { port: 'http' }).map((p) => p.message)).toEqual([expect.stringContaining("argument 'port'")]);
  });
});
