/**
 * Roles, pre_tasks and post_tasks as Ansible loads them: order, positions, the keywords and
 * variables a role's tasks take along the dependency chain, and what is refused. The expected
 * values of the precedence test are what ansible-playbook 2.14.18 (Debian 12) printed for the
 * same tree (`debug: msg=...` in place of each command).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/core/inventory/index.ts';
import { formatProblem, ProblemList } from '../../src/core/errors.ts';
import { notifiedHandlers } from '../../src/core/playbook/handler-names.ts';
import { loadPlaybook } from '../../src/core/playbook/load.ts';
import { defaultRolesPath } from '../../src/core/playbook/role-search.ts';
import { leafTasks, type Play, type Task } from '../../src/core/playbook/types.ts';
import { buildHostVars } from '../../src/core/vars.ts';
import { findControllerFile } from '../../src/modules/controller-file.ts';
import { fakeModules, INVENTORY, writeTree } from './playbook-helpers.ts';

function load(files: Record<string, string>): { dir: string; play: Play } {
  const dir = writeTree(files);
  return { dir, play: loadPlaybook(join(dir, 'site.yml'), { modules: fakeModules }).plays[0] };
}

function problems(files: Record<string, string>): string[] {
  const dir = writeTree(files);
  const list = new ProblemList();
  loadPlaybook(join(dir, 'site.yml'), { modules: fakeModules, problems: list });
  return list.items.map((p) => formatProblem(p).replaceAll(`${dir}/`, ''));
}

const names = (tasks: Task[]) => tasks.map((t) => t.name);

describe('pre_tasks, roles, tasks, post_tasks', () => {
  it('run in Ansible order, with handlers flushed after pre_tasks, after roles and tasks, and at the end', () => {
    const { play } = load({
      'site.yml': `- hosts: all
  post_tasks:
    - command: echo post
  tasks:
    - command: echo task
  roles:
    - web
  pre_tasks:
    - command: echo pre1
    - command: echo pre2
`,
      'roles/web/tasks/main.yml': '- name: in role\n  command: echo web\n',
    });
    expect(names(leafTasks(play.tasks))).toEqual(['command echo pre1', 'command echo pre2', 'web : in role', 'command echo task', 'command echo post']);
    expect(play.flushAfter).toEqual([2, 4]);
  });
});

describe('roles', () => {
  const tree = {
    'site.yml': `- hosts: all
  roles:
    - role: app
      tags: app
      when: deploy | default(true)
      become: true
      vars: { port: 8080 }
      weight: 3
`,
    'roles/app/tasks/main.yml': '- name: configure\n  command: echo app\n  tags: conf\n',
    'roles/app/handlers/main.yml': '- name: restart app\n  command: echo restart\n',
    'roles/app/meta/main.yml': 'galaxy_info: { author: someone }\ndependencies:\n  - base\n  - role: sysctl\n    when: tune\n',
    'roles/base/tasks/main.yml': '- command: echo base\n',
    'roles/base/handlers/main.yml': '- name: reload base\n  command: echo reload\n',
    'roles/sysctl/tasks/main.yml': '- command: echo sysctl\n',
  };

  it('runs dependencies first; each task keeps its file:line:col and takes the chain\'s when, tags and become', () => {
    const { play, dir } = load(tree);
    expect(names(leafTasks(play.tasks))).toEqual(['base : command echo base', 'sysctl : command echo sysctl', 'app : configure']);
    const [base, sysctl, app] = leafTasks(play.tasks);
    expect(app.pos).toEqual({ file: join(dir, 'roles/app/tasks/main.yml'), line: 1, col: 3 });
    expect(app).toMatchObject({ when: ['deploy | default(true)'], tags: ['app', 'conf'], access: { become: true } });
    expect(base).toMatchObject({ when: ['deploy | default(true)'], tags: ['app'], access: { become: true } });
    expect(sysctl.when).toEqual(['deploy | default(true)', 'tune']);
    expect(app.role).toMatchObject({ name: 'app', path: join(dir, 'roles/app'), vars: { port: 8080 }, params: { weight: 3 } });
    expect(app.role!.searchDirs).toEqual([join(dir, 'roles/app')]);
    expect(sysctl.role!.searchDirs).toEqual([join(dir, 'roles/sysctl'), join(dir, 'roles/app')]);
    expect(names(play.handlers)).toEqual(['base : reload base', 'app : restart app']);
  });

  it('runs a role named twice with the same parameters once, and again with other parameters', () => {
    const { play } = load({
      'site.yml': '- hosts: all\n  roles:\n    - a\n    - b\n    - a\n    - { role: a, x: 1 }\n',
      'roles/a/tasks/main.yml': '- command: echo a\n',
      'roles/b/tasks/main.yml': '- command: echo b\n',
      'roles/b/meta/main.yml': 'dependencies: [a]\n',
    });
    expect(names(leafTasks(play.tasks))).toEqual(['a : command echo a', 'b : command echo b', 'a : command echo a']);
    expect(leafTasks(play.tasks)[2].role!.params).toEqual({ x: 1 });
  });

  it('runs a role again when its meta allows duplicates', () => {
    const { play } = load({
      'site.yml': '- hosts: all\n  roles: [a, a]\n',
      'roles/a/tasks/main.yml': '- command: echo a\n',
      'roles/a/meta/main.yml': 'allow_duplicates: true\n',
    });
    expect(names(leafTasks(play.tasks))).toEqual(['a : command echo a', 'a : command echo a']);
  });

  it('import_role: in place, with tasks_from and handlers_from, its keywords on each task, again each time', () => {
    const { play } = load({
      'site.yml': `- hosts: all
  roles: [a]
  tasks:
    - command: echo before
    - ansible.builtin.import_role:
        name: a
        tasks_from: other
        handlers_from: more.yml
      when: go
      vars: { v: 1 }
    - import_role: name=a
  handlers:
    - name: play handler
      command: echo h
`,
      'roles/a/tasks/main.yml': '- command: echo main\n',
      'roles/a/tasks/other.yml': '- command: echo other\n',
      'roles/a/handlers/main.yml': '- name: h main\n  command: echo hm\n',
      'roles/a/handlers/more.yml': '- name: h more\n  command: echo hmore\n',
    });
    expect(names(leafTasks(play.tasks))).toEqual(['a : command echo main', 'command echo before', 'a : command echo other', 'a : command echo main']);
    expect(leafTasks(play.tasks)[2]).toMatchObject({ when: ['go'], includeParams: { v: 1 } });
    // Each import_role appends its role's handlers, as Ansible's IncludeRole.get_block_list does.
    expect(names(play.handlers)).toEqual(['a : h main', 'play handler', 'a : h more', 'a : h main']);
  });

  it('import_role inside a role: the inner role\'s tasks take the whole chain\'s keywords once', () => {
    const { play } = load({
      'site.yml': '- hosts: all\n  roles:\n    - { role: outer, when: a, tags: t }\n',
      'roles/outer/tasks/main.yml': '- import_role: { name: inner }\n  when: b\n- command: echo outer\n',
      'roles/inner/tasks/main.yml': '- command: echo inner\n  when: c\n',
    });
    expect(leafTasks(play.tasks).map((t) => [t.name, t.when, t.tags])).toEqual([
      ['inner : command echo inner', ['a', 'b', 'c'], ['t']],
      ['outer : command echo outer', ['a'], ['t']],
    ]);
    expect(leafTasks(play.tasks)[0].role!.searchDirs.map((d) => d.split('/').pop())).toEqual(['inner', 'outer']);
  });

  it('is looked for in roles/ beside the playbook, then the roles path, then the playbook directory', () => {
    expect(defaultRolesPath()).toEqual([`${homedir()}/.ansible/roles`, '/usr/share/ansible/roles', '/etc/ansible/roles']);
    const elsewhere = writeTree({ 'beside/tasks/main.yml': '- command: echo elsewhere\n', 'other/tasks/main.yml': '- command: echo other\n' });
    const dir = writeTree({ 'site.yml': '- hosts: all\n  roles: [beside, other]\n', 'beside/tasks/main.yml': '- command: echo x\n' });
    const [beside, other] = leafTasks(loadPlaybook(join(dir, 'site.yml'), { modules: fakeModules, rolesPath: [elsewhere] }).plays[0].tasks);
    expect(beside.role!.path).toBe(join(elsewhere, 'beside'));
    expect(other.role!.path).toBe(join(elsewhere, 'other'));
  });
});

describe('role variables', () => {
  // The same tree ansible-playbook 2.14.18 ran; its answers are in the expectations.
  const tree = {
    'site.yml': `- hosts: rs1
  gather_facts: false
  vars: { a: play, b: play }
  pre_tasks:
    - command: echo pre
  roles:
    - role: r
      vars: { c: entry-vars, b: entry-vars }
      p: param
  tasks:
    - command: echo task
    - import_role: name=r
      vars: { e: import-vars, b: import-vars }
`,
    'roles/r/tasks/main.yml': '- command: echo r\n',
    'roles/r/defaults/main.yml': 'a: r-default\nb: r-default\nc: r-default\ne: r-default\ndd: r-default\n',
    'roles/r/vars/main.yml': 'b: r-vars\n',
    'roles/r/meta/main.yml': 'dependencies:\n  - role: d\n',
    'roles/d/tasks/main.yml': '- command: echo d\n',
    'roles/d/defaults/main.yml': 'dd: d-default\n',
    'inventory.yml': INVENTORY,
  };
  const { dir, play } = load(tree);
  const inventory = loadInventory([join(dir, 'inventory.yml')]);
  const varsOf = (task: Task) =>
    buildHostVars({ inventory, host: inventory.hosts.get('rs1')!, play, task, extraVars: {}, registered: {}, checkMode: false, playbookDir: dir });
  const pick = (vars: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.map((k) => [k, vars[k]]));

  it('follow Ansible\'s precedence: defaults < play vars < role vars < role params < import_role vars', () => {
    expect(names(leafTasks(play.tasks))).toEqual(['command echo pre', 'd : command echo d', 'r : command echo r', 'command echo task', 'r : command echo r']);
    const [pre, d, r, task, imported] = leafTasks(play.tasks).map(varsOf);
    expect(pick(pre, ['a', 'b', 'c', 'dd'])).toEqual({ a: 'play', b: 'r-vars', c: 'entry-vars', dd: 'r-default' });
    expect(pick(d, ['dd', 'a'])).toEqual({ dd: 'd-default', a: 'play' });
    expect(pick(r, ['a', 'b', 'c', 'e', 'p', 'role_name', 'role_path'])).toEqual({ a: 'play', b: 'r-vars', c: 'entry-vars', e: 'import-vars', p: 'param', role_name: 'r', role_path: join(dir, 'roles/r') });
    expect(pick(task, ['a', 'b', 'c'])).toEqual({ a: 'play', b: 'r-vars', c: 'entry-vars' });
    expect(pick(imported, ['b', 'c', 'e', 'p'])).toEqual({ b: 'import-vars', c: 'entry-vars', e: 'import-vars', p: undefined });
  });

  it('registered results beat role vars; role parameters beat registered results', () => {
    const vars = buildHostVars({ inventory, host: inventory.hosts.get('rs1')!, play, task: leafTasks(play.tasks)[2], extraVars: {}, registered: { b: 'registered', p: 'registered' }, checkMode: false, playbookDir: dir });
    expect(pick(vars, ['b', 'p'])).toEqual({ b: 'registered', p: 'param' });
  });
});

describe('files and handlers of a role', () => {
  it('finds a template in the role first, then beside the task, then in the playbook directory', () => {
    const dir = writeTree({ 'roles/r/templates/a.j2': '', 'roles/r/tasks/b.j2': '', 'templates/c.j2': '', 'd.j2': '' });
    const ctx = { searchDirs: [join(dir, 'roles/r'), join(dir, 'roles/r/tasks')], playbookDir: dir };
    expect(findControllerFile(ctx, 'templates', 'a.j2')).toEqual({ found: true, file: join(dir, 'roles/r/templates/a.j2') });
    expect(findControllerFile(ctx, 'templates', 'b.j2')).toEqual({ found: true, file: join(dir, 'roles/r/tasks/b.j2') });
    expect(findControllerFile(ctx, 'templates', 'c.j2')).toEqual({ found: true, file: join(dir, 'templates/c.j2') });
    expect(findControllerFile(ctx, 'templates', 'templates/c.j2')).toEqual({ found: true, file: join(dir, 'templates/c.j2') });
    const missing = findControllerFile(ctx, 'files', 'e.txt');
    expect(missing).toEqual({ found: false, searched: expect.arrayContaining([join(dir, 'roles/r/files/e.txt'), join(dir, 'e.txt')]) });
  });

  it('a notification reaches the last handler of that name, by its name or role : name, and every listener', () => {
    const { play } = load({
      'site.yml': '- hosts: all\n  roles: [r]\n  handlers:\n    - name: restart\n      command: echo play\n    - name: other\n      command: echo x\n      listen: restart\n',
      'roles/r/handlers/main.yml': '- name: restart\n  command: echo role\n',
      'roles/r/tasks/main.yml': '- command: echo r\n',
    });
    expect(notifiedHandlers(play.handlers, ['restart']).map((h) => h.args)).toEqual([{ cmd: 'echo play' }, { cmd: 'echo x' }]);
    expect(notifiedHandlers(play.handlers, ['r : restart']).map((h) => h.args)).toEqual([{ cmd: 'echo role' }]);
  });
});

describe('role problems', () => {
  it('an unknown role, at its name, with the paths searched', () => {
    const [first] = problems({ 'site.yml': '- hosts: all\n  roles:\n    - role: nope\n' });
    expect(first).toMatch(/^site\.yml:3:13: role 'nope' was not found\n {2}fix: looked in .*\/roles:.*\/etc\/ansible\/roles:/);
  });

  it('a circular dependency, naming both places', () => {
    const out = problems({
      'site.yml': '- hosts: all\n  roles: [a]\n',
      'roles/a/meta/main.yml': 'dependencies: [b]\n',
      'roles/b/meta/main.yml': 'dependencies:\n  - role: a\n',
    });
    expect(out).toEqual([expect.stringMatching(/^roles\/b\/meta\/main\.yml:2:11: circular role dependency: a → b → a\n {2}fix: role 'a' is already being loaded from .*site\.yml:2:11/)]);
  });

  it('refuses what lvsdr cannot do as Ansible does, each at its place', () => {
    const out = problems({
      'site.yml': `- hosts: all
  roles:
    - role: "{{ which }}"
    - role: a
      environment: { X: 1 }
    - ns.coll.role
  tasks:
    - include_role: name=a
    - import_role: { name: a, tasks_from: sub/x.yml, public: true }
`,
      'roles/a/meta/main.yml': 'collections: [x.y]\n',
      'roles/a/meta/argument_specs.yml': 'argument_specs: {}\n',
    });
    expect(out.map((l) => l.split('\n')[0])).toEqual([
      'site.yml:3:13: the role name "{{ which }}" is a template',
      "site.yml:5:7: 'environment' on a role is not supported",
      'roles/a/meta/main.yml:1:1: \'collections\' in a role\'s meta/main.yml is not supported',
      "roles/a/meta/argument_specs.yml:1:1: a role's argument_specs are not supported",
      "site.yml:6:7: role 'ns.coll.role' is from a collection, which lvsdr does not read",
      'site.yml:8:7: include_role is not supported: lvsdr loads every role before the run',
      "site.yml:9:54: import_role has no argument 'public'",
      'site.yml:9:43: tasks_from must name a file in the role\'s tasks/ directory, without templates or directories, not "sub/x.yml"',
    ]);
  });

  it('a tasks_from file that is not there, and a role file that is not YAML of the right shape', () => {
    const out = problems({
      'site.yml': '- hosts: all\n  tasks:\n    - import_role: { name: a, tasks_from: nope }\n  roles: [b]\n',
      'roles/a/tasks/main.yml': '- command: echo a\n',
      'roles/b/vars/main.yml': '- not a mapping\n',
    });
    expect(out.map((l) => l.split('\n')[0])).toEqual([
      'roles/b/vars/main.yml:1:1: a vars file must be a mapping of names to values, not a list',
      "site.yml:3:28: role 'a' has no tasks/nope",
    ]);
  });
});

describe('import_playbook', () => {
  it('puts the other file\'s plays in its place, with its vars over theirs and its tags added; roles are looked for beside it', () => {
    const dir = writeTree({
      'site.yml': '- hosts: all\n  tasks: [{ command: echo first }]\n- import_playbook: sub/more.yml\n  vars: { port: 81 }\n  tags: more\n- ansible.builtin.import_playbook: last.yml\n',
      'sub/more.yml': '- hosts: rs1\n  vars: { port: 80, keep: 1 }\n  roles: [r]\n',
      'sub/roles/r/tasks/main.yml': '- command: echo r\n',
      'last.yml': '- hosts: rs2\n  tasks: [{ command: echo last }]\n',
    });
    const { plays } = loadPlaybook(join(dir, 'site.yml'), { modules: fakeModules });
    expect(plays.map((p) => p.hosts)).toEqual(['all', 'rs1', 'rs2']);
    // ansible-playbook 2.14 gives an imported play the imported file's directory as playbook_dir.
    expect(plays[1]).toMatchObject({ vars: { port: 81, keep: 1 }, tags: ['more'], dir: join(dir, 'sub') });
    expect(leafTasks(plays[1].tasks)[0].pos.file).toBe(join(dir, 'sub/roles/r/tasks/main.yml'));
  });

  it('refuses a cycle, a templated name and a when', () => {
    const out = problems({
      'site.yml': '- import_playbook: a.yml\n- import_playbook: "{{ which }}.yml"\n- import_playbook: a.yml\n  when: x\n',
      'a.yml': '- import_playbook: site.yml\n',
    });
    expect(out.map((l) => l.split('\n')[0])).toEqual([
      expect.stringMatching(/^a\.yml:1:20: import cycle: .*site\.yml → .*a\.yml → .*site\.yml$/),
      'site.yml:2:20: import_playbook needs a playbook file name alone, without templates or parameters, not the string "{{ which }}.yml"',
      "site.yml:4:3: 'when' cannot be used on import_playbook",
    ]);
  });
});
