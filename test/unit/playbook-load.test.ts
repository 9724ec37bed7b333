import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { leafTasks } from '../../src/core/playbook/types.ts';
import { formatProblem, ProblemList, UserError } from '../../src/core/errors.ts';
import { loadPlaybook } from '../../src/core/playbook/load.ts';
import { fakeModules, writeTree } from './playbook-helpers.ts';

function load(files: Record<string, string>, extraVars: Record<string, unknown> = {}) {
  const dir = writeTree(files);
  return { dir, playbook: loadPlaybook(join(dir, 'site.yml'), { modules: fakeModules, extraVars }) };
}

function problems(files: Record<string, string>, extraVars: Record<string, unknown> = {}): string[] {
  const dir = writeTree(files);
  const list = new ProblemList();
  loadPlaybook(join(dir, 'site.yml'), { modules: fakeModules, extraVars, problems: list });
  return list.items.map((p) => formatProblem(p).replace(`${dir}/`, ''));
}

describe('loadPlaybook', () => {
  it('reads plays with their defaults', () => {
    const { playbook, dir } = load({ 'site.yml': '- hosts: realservers\n  tasks: []\n' });
    expect(playbook.dir).toBe(dir);
    expect(playbook.plays).toHaveLength(1);
    expect(playbook.plays[0]).toMatchObject({
      name: 'realservers',
      hosts: 'realservers',
      vars: {},
      varsFiles: [],
      access: {},
      gatherFacts: true,
      serial: [],
      tags: [],
      tasks: [],
      handlers: [],
      pos: { line: 1, col: 3 },
      hostsPos: { line: 1, col: 10 },
    });
  });

  it('reads every play keyword', () => {
    const { playbook } = load({
      'site.yml': `- name: rs
  hosts: [realservers, directors]
  become: yes
  gather_facts: no
  serial: [1, "50%"]
  max_fail_percentage: 20
  tags: setup
  vars: { port: 80 }
  vars_files: ["vars/{{ env }}.yml"]
  tasks: []
`,
      'vars/prod.yml': 'vip: 198.18.0.100\n',
    }, { env: 'prod' });
    const play = playbook.plays[0];
    expect(play).toMatchObject({ name: 'rs', hosts: 'realservers:directors', access: { become: true }, gatherFacts: false, serial: [1, '50%'], maxFailPercentage: 20, tags: ['setup'], vars: { port: 80 } });
    expect(play.varsFiles).toEqual([{ path: expect.stringMatching(/vars\/prod\.yml$/), vars: { vip: '198.18.0.100' } }]);
  });

  it('reads tasks: one module, keywords, positions of every argument', () => {
    const { playbook } = load({
      'site.yml': `- hosts: all
  tasks:
    - name: write it
      ansible.builtin.copy:
        dest: /etc/x
        content: "{{ vip }}"
      when: vip is defined
      notify: [reload]
      register: out
      loop: [1, 2]
      changed_when: false
      failed_when: [out.rc > 1, "false"]
      ignore_errors: true
      no_log: yes
      become: false
      timeout: 30
      tags: [a, b]
  handlers:
    - name: reload
      command: echo reload
      listen: reload all
`,
    });
    const [task] = leafTasks(playbook.plays[0].tasks);
    expect(task).toMatchObject({
      name: 'write it',
      module: 'copy',
      args: { dest: '/etc/x', content: '{{ vip }}' },
      when: ['vip is defined'],
      notify: ['reload'],
      register: 'out',
      loop: [1, 2],
      changedWhen: ['false'],
      failedWhen: ['out.rc > 1', 'false'],
      ignoreErrors: true,
      noLog: true,
      access: { become: false },
      timeout: 30,
      tags: ['a', 'b'],
      pos: { line: 3, col: 7 },
      argsPos: { line: 5, col: 9 },
    });
    expect(task.argPositions.get('/dest')).toMatchObject({ line: 5, col: 15 });
    expect(task.argPositions.get('/content')).toMatchObject({ line: 6, col: 18 });
    expect(task.keywordPos?.get('when')).toMatchObject({ line: 7, col: 13 });
    expect(playbook.plays[0].handlers[0]).toMatchObject({ name: 'reload', module: 'command', args: { cmd: 'echo reload' }, listen: ['reload all'] });
  });

  it('reads free-form arguments as Ansible parse_kv does, and merges args: under them', () => {
    const { playbook } = load({
      'site.yml': `- hosts: all
  tasks:
    - command: hostname -f
    - command: touch /tmp/x
      args:
        creates: /tmp/x
    - command: echo hi > f creates=f chdir=/srv
    - command: touch /a creates=/a
      args: { creates: /b, chdir: /tmp }
    - copy: dest=/etc/x content="a b"
    - copy: { dest: /etc/y, content: mine }
      args: { dest: /etc/z, mode: "0600" }
`,
    });
    const [a, b, c, d, e, f] = leafTasks(playbook.plays[0].tasks);
    expect(a).toMatchObject({ name: 'command hostname -f', args: { cmd: 'hostname -f' } });
    expect(b.args).toEqual({ cmd: 'touch /tmp/x', creates: '/tmp/x' });
    expect(b.argPositions.get('/creates')).toMatchObject({ line: 6, col: 18 });
    // What ansible-core 2.14's parse_kv and ModuleArgsParser make of the same tasks.
    expect(c.args).toEqual({ cmd: 'echo hi > f', creates: 'f', chdir: '/srv' });
    expect(d.args).toEqual({ cmd: 'touch /a', creates: '/a', chdir: '/tmp' });
    expect(e.args).toEqual({ dest: '/etc/x', content: 'a b' });
    expect(f.args).toEqual({ dest: '/etc/y', content: 'mine', mode: '0600' });
  });

  it('names unnamed tasks after their module and first arguments', () => {
    const { playbook } = load({ 'site.yml': '- hosts: all\n  tasks:\n    - copy: { dest: /etc/x, content: hi, mode: "0644" }\n' });
    expect(leafTasks(playbook.plays[0].tasks)[0].name).toBe('copy dest=/etc/x content=hi');
  });

  it('expands import_tasks in place, applying its when, tags and become', () => {
    const { playbook, dir } = load({
      'site.yml': `- hosts: all
  tasks:
    - command: echo first
    - import_tasks: tasks/more.yml
      when: vip is defined
      tags: more
      become: true
    - command: echo last
`,
      'tasks/more.yml': '- name: inner\n  command: echo inner\n  when: true\n  tags: [x]\n',
    });
    const names = leafTasks(playbook.plays[0].tasks).map((t) => t.name);
    expect(names).toEqual(['command echo first', 'inner', 'command echo last']);
    const inner = leafTasks(playbook.plays[0].tasks)[1];
    expect(inner).toMatchObject({ when: ['vip is defined', 'true'], tags: ['more', 'x'], access: { become: true } });
    expect(inner.pos).toEqual({ file: join(dir, 'tasks/more.yml'), line: 1, col: 3 });
  });

  it('throws one UserError with every structural problem when no list is given', () => {
    const dir = writeTree({ 'site.yml': '- hosts: all\n  tasks:\n    - cpy: {}\n    - command: x\n      whne: true\n' });
    expect(() => loadPlaybook(join(dir, 'site.yml'), { modules: fakeModules })).toThrow(UserError);
    try {
      loadPlaybook(join(dir, 'site.yml'), { modules: fakeModules });
    } catch (err) {
      expect((err as UserError).problems.map((p) => p.message)).toEqual(["unknown module 'cpy'", "unknown task keyword 'whne'"]);
    }
  });
});

describe('loadPlaybook problems', () => {
  const play = (tasks: string) => ({ 'site.yml': `- hosts: all\n  tasks:\n${tasks}` });

  it('module keys: none, two, unknown with the closest name and the list', () => {
    expect(problems(play('    - name: x\n'))).toEqual([
      'site.yml:3:7: task has no module\n  fix: add exactly one module key, one of: assert, command, copy, ping, service',
    ]);
    expect(problems(play('    - copy: { dest: /x, content: y }\n      command: ls\n'))[0]).toBe(
      'site.yml:4:7: task has more than one module: copy, command\n  fix: a task runs exactly one module: split it into one task per module',
    );
    expect(problems(play('    - servce: { name: x }\n'))).toEqual([
      "site.yml:3:7: unknown module 'servce'\n  fix: did you mean 'service'? known modules: assert, command, copy, ping, service",
    ]);
  });

  it('keywords: unknown with a hint, unsupported with the alternative', () => {
    expect(problems(play('    - command: ls\n      registr: x\n'))).toEqual(["site.yml:4:7: unknown task keyword 'registr'\n  fix: did you mean 'register'?"]);
    expect(problems(play('    - command: ls\n      with_nested: []\n'))[0]).toMatch(/'with_nested' is not supported\n  fix: with_nested is not supported: loop over/);
    expect(problems({ 'site.yml': '- hosts: all\n  gather_fact: no\n' })).toEqual(["site.yml:2:3: unknown play keyword 'gather_fact'\n  fix: did you mean 'gather_facts'?"]);
  });

  it('keyword types, each at its value', () => {
    expect(problems(play('    - command: ls\n      notify: { a: 1 }\n      become: maybe\n      timeout: 0\n'))).toEqual([
      "site.yml:4:15: 'notify' must be a string or a list of strings, not a mapping",
      "site.yml:5:15: 'become' must be true or false, not the string \"maybe\"",
      "site.yml:6:16: 'timeout' must be a number at least 1, not number 0",
    ]);
  });

  it('serial, hosts and vars_files', () => {
    expect(problems({ 'site.yml': '- hosts: all\n  serial: [2, 0]\n' })[0]).toMatch(/^site\.yml:2:15: 'serial' must be a batch size/);
    expect(problems({ 'site.yml': '- hosts: all\n  serial: "{{ batch }}"\n' }, { batch: '25%' })).toEqual([]);
    expect(problems({ 'site.yml': '- hosts: "{{ target }}"\n' })[0]).toMatch(/^site\.yml:1:10: 'hosts': undefined variable 'target'/);
    expect(problems({ 'site.yml': '- hosts: all\n  vars_files: [nope.yml]\n' })[0]).toMatch(/^site\.yml:2:16: file not found: .*nope\.yml/);
  });

  it('import_tasks: a missing file, a cycle, a templated path', () => {
    expect(problems(play('    - import_tasks: t/none.yml\n'))[0]).toMatch(/^site\.yml:3:21: file not found/);
    const cycle = problems({ ...play('    - import_tasks: a.yml\n'), 'a.yml': '- import_tasks: site.yml\n' });
    expect(cycle[0]).toMatch(/^a\.yml:1:17: import cycle: .*site\.yml → .*a\.yml → .*site\.yml/);
    expect(problems(play('    - import_tasks: "{{ f }}"\n'))[0]).toMatch(/^site\.yml:3:21: import_tasks needs a task file name without templates/);
  });
});
