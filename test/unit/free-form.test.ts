/**
 * Free-form `key=value` arguments against Ansible's own parse_kv: each row's expected value is what
 * `ansible.parsing.splitter.parse_kv(text, check_raw=...)` returned in ansible-core 2.14.18
 * (`_raw_params` is `raw` here).
 */
import { describe, expect, it } from 'vitest';
import { leafTasks } from '../../src/core/playbook/types.ts';
import { join } from 'node:path';
import { FreeFormError, parseFreeForm } from '../../src/core/playbook/free-form.ts';
import { loadPlaybook } from '../../src/core/playbook/load.ts';
import { commandModule, shellModule } from '../../src/modules/command.ts';
import { factKey } from '../../src/facts/fact.ts';
import { fileKey } from '../../src/modules/remote-file.ts';
import type { ModuleContext, Plan, StateView } from '../../src/modules/types.ts';
import { writeTree } from './playbook-helpers.ts';

const ANSIBLE: [string, boolean, Record<string, string>][] = [
  ["echo hi > f creates=f", true, {"creates": "f", raw: "echo hi > f"}],
  ["echo hi creates=/tmp/x removes=/tmp/y chdir=/srv", true, {"creates": "/tmp/x", "removes": "/tmp/y", "chdir": "/srv", raw: "echo hi"}],
  ["echo a=b c='d e' creates=\"/tmp/x y\"", true, {"creates": "/tmp/x y", raw: "echo a=b c='d e'"}],
  ["grep -q foo=bar /etc/x chdir=/etc", true, {"chdir": "/etc", raw: "grep -q foo=bar /etc/x"}],
  ["echo '{{ a }} b=c' creates={{ path }}", true, {"creates": "{{ path }}", raw: "echo '{{ a }} b=c'"}],
  ["echo {{ x | default('a b') }} removes=/x", true, {"removes": "/x", raw: "echo {{ x | default('a b') }}"}],
  ["ls\n  -l chdir=/tmp", true, {"chdir": "/tmp", raw: "ls\n  -l"}],
  ["echo \"quoted creates=/no\" creates=/yes", true, {"creates": "/yes", raw: "echo \"quoted creates=/no\""}],
  ["echo   two  spaces", true, {raw: "echo   two  spaces"}],
  ["line one \\\nline two", true, {raw: "line one line two"}],
  ["printf 'a\\tb' stdin=x\\ty", true, {"stdin": "x\ty", raw: "printf 'a\\tb'"}],
  ["foo=bar\\=baz", true, {raw: "foo=bar\\=baz"}],
  ["creates=/x", true, {"creates": "/x"}],
  ["src=a dest=/b mode=0644", false, {"src": "a", "dest": "/b", "mode": "0644"}],
  ["msg=\"hello world\"", false, {"msg": "hello world"}],
  ["msg='it''s'", false, {"msg": "it''s"}],
  ["dest=/x content='a b' extra words", false, {"dest": "/x", "content": "a b", raw: "extra words"}],
  ["a=\"x\\\"y\"", false, {"a": "x\"y"}],
  ["=x", false, {raw: "=x"}],
];

describe('parseFreeForm, as Ansible parse_kv', () => {
  it.each(ANSIBLE)('%j (check_raw %s)', (text, checkRaw, expected) => {
    const { raw, ...options } = expected;
    const got = parseFreeForm(text, checkRaw);
    expect(got.options).toEqual(options);
    expect(got.raw).toBe(raw);
  });

  it('refuses unbalanced quotes and templates, as Ansible does', () => {
    expect(() => parseFreeForm("echo 'unclosed", true)).toThrow(FreeFormError);
    expect(() => parseFreeForm('echo {{ x', true)).toThrow(FreeFormError);
  });
});

describe('free-form command and shell tasks', () => {
  const dir = writeTree({
    'site.yml': '- hosts: all\n  tasks:\n    - shell: echo hi > /tmp/f creates=/tmp/f\n    - command: ls -l removes=/srv/x chdir=/srv\n',
  });
  const [shell, command] = leafTasks(loadPlaybook(join(dir, "site.yml")).plays[0].tasks);
  const ctx = {} as ModuleContext;
  const files = (exists: Record<string, boolean>): StateView => ({ fact: (f, p) => ({ exists: exists[factKey(f, p)] ?? false }) as never });
  const commands = (plan: Plan): string[] => (plan.kind === 'action' ? plan.commands.map((c) => c.command.text) : [plan.kind]);

  // The reported bug: the file got "hi creates=/tmp/f" and the task changed on every run.
  it('takes creates= out of a shell line: the command writes only "hi", and is skipped once the file exists', () => {
    const args = shell.args as Parameters<typeof shellModule.plan>[0];
    expect(commands(shellModule.plan(args, files({}), ctx))).toEqual(["/bin/sh -c 'echo hi > /tmp/f'"]);
    expect(shellModule.plan(args, files({ [fileKey('/tmp/f')]: true }), ctx)).toEqual({ kind: 'noop', reason: '/tmp/f exists (creates)' });
  });

  it('takes removes= and chdir= out of a command line', () => {
    const args = command.args as Parameters<typeof commandModule.plan>[0];
    expect(commands(commandModule.plan(args, files({ [fileKey('/srv/x')]: true }), ctx))).toEqual(['cd /srv && ls -l']);
  });
});
