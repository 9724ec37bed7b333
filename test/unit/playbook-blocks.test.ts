/** Loading block/rescue/always, task vars, loops and until: what each task ends up holding. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, ProblemList } from '../../src/core/errors.ts';
import { loadInventory } from '../../src/core/inventory/index.ts';
import { loadPlaybook } from '../../src/core/playbook/load.ts';
import { isBlock, leafTasks, type Block, type Task } from '../../src/core/playbook/types.ts';
import { validatePlaybook } from '../../src/core/playbook/validate.ts';
import { buildHostVars } from '../../src/core/vars.ts';
import { fakeModules, writeTree } from './playbook-helpers.ts';

function load(site: string) {
  const dir = writeTree({ 'site.yml': site });
  const problems = new ProblemList();
  const playbook = loadPlaybook(join(dir, 'site.yml'), { modules: fakeModules, problems });
  return { playbook, problems: problems.items.map((p) => formatProblem(p).replace(`${dir}/`, '')) };
}

const NESTED = `- hosts: all
  vars: { who: play }
  tasks:
    - name: outer
      when: outer_ok
      tags: [o]
      become: true
      vars: { who: outer, level: outer }
      ignore_errors: true
      diff: false
      check_mode: true
      block:
        - name: inner
          when: inner_ok
          tags: i
          vars: { who: inner }
          notify: restart
          block:
            - name: t1
              command: /bin/true
              when: own
              vars: { who: task }
              ignore_errors: false
              diff: true
              check_mode: false
          rescue:
            - name: r1
              command: echo rescued
          always:
            - name: a1
              command: echo always
              become: false
        - name: t2
          command: /bin/true
  handlers:
    - name: restart
      command: /bin/true
`;

describe('block / rescue / always', () => {
  it('keeps the structure and hands the block keywords down to every task', () => {
    const { playbook, problems } = load(NESTED);
    expect(problems).toEqual([]);
    const [outer] = playbook.plays[0].tasks as Block[];
    expect(isBlock(outer)).toBe(true);
    const inner = outer.block[0] as Block;
    expect(inner).toMatchObject({ kind: 'block', name: 'inner' });
    expect(inner.rescue.map((t) => (t as Task).name)).toEqual(['r1']);
    expect(inner.always.map((t) => (t as Task).name)).toEqual(['a1']);
    const byName = Object.fromEntries(leafTasks(playbook.plays[0].tasks).map((t) => [t.name, t]));
    expect(Object.keys(byName)).toEqual(['t1', 'r1', 'a1', 't2']);
    // when: outermost first; tags add up; vars: the innermost wins.
    expect(byName.t1).toMatchObject({ when: ['outer_ok', 'inner_ok', 'own'], vars: { who: 'task', level: 'outer' }, access: { become: true }, ignoreErrors: false, diff: true, checkMode: false, notify: ['restart'] });
    expect(new Set(byName.t1.tags)).toEqual(new Set(['o', 'i']));
    expect(byName.r1).toMatchObject({ when: ['outer_ok', 'inner_ok'], vars: { who: 'inner', level: 'outer' }, ignoreErrors: true, diff: false, checkMode: true, notify: ['restart'] });
    expect(byName.a1).toMatchObject({ access: { become: false } });
    expect(byName.t2).toMatchObject({ when: ['outer_ok'], tags: ['o'], vars: { who: 'outer', level: 'outer' }, notify: [] });
  });

  it('refuses rescue without block, a task keyword a block cannot carry, and blocks among handlers', () => {
    expect(load('- hosts: all\n  tasks:\n    - always:\n        - command: /bin/true\n').problems).toEqual([
      "site.yml:3:7: 'always' without 'block'\n  fix: put the tasks it guards under block: in the same entry, above always:",
    ]);
    expect(load('- hosts: all\n  tasks:\n    - block: []\n      register: r\n').problems[0]).toMatch(/^site.yml:4:7: 'register' cannot be used on a block/);
    expect(load('- hosts: all\n  tasks:\n    - block: []\n      command: ls\n').problems[0]).toMatch(/'command' cannot be used on a block/);
  });
});

describe('task keywords', () => {
  it('reads with_<lookup>, loop_control and until with Ansible’s defaults', () => {
    const { playbook, problems } = load(`- hosts: all
  tasks:
    - command: echo {{ p.key }} {{ i }}
      with_dict: "{{ ports }}"
      loop_control: { loop_var: p, index_var: i, label: "{{ p.key }}", pause: 0.5, extended: yes }
    - command: /bin/true
      register: r
      until: r.rc == 0
    - command: /bin/true
      register: r
      until: [r.rc == 0, r.stdout != ""]
      retries: 10
      delay: 1
`);
    expect(problems).toEqual([]);
    const [looped, untilDefault, untilSet] = leafTasks(playbook.plays[0].tasks);
    expect(looped).toMatchObject({ loop: '{{ ports }}', loopWith: 'dict', loopControl: { loopVar: 'p', indexVar: 'i', label: '{{ p.key }}', pause: 0.5, extended: true } });
    expect(untilDefault.until).toEqual({ conditions: ['r.rc == 0'], delay: 5 });
    expect(untilSet.until).toEqual({ conditions: ['r.rc == 0', 'r.stdout != ""'], retries: 10, delay: 1 });
  });
});

describe('variables of blocks and tasks', () => {
  const inventory = loadInventory([join(writeTree({ 'inv.yml': 'all:\n  hosts:\n    rs1:\n      who: inventory\n' }), 'inv.yml')]);

  it('sit above play vars and below registered results and extra vars', () => {
    const { playbook } = load(NESTED);
    const play = playbook.plays[0];
    const t1 = leafTasks(play.tasks)[0];
    const host = inventory.hosts.get('rs1')!;
    const base = { inventory, host, play, extraVars: {}, registered: {}, checkMode: false, playbookDir: '/tmp' };
    expect(buildHostVars(base).who).toBe('play');
    expect(buildHostVars({ ...base, task: t1 }).who).toBe('task');
    expect(buildHostVars({ ...base, task: t1, registered: { who: 'registered' } }).who).toBe('registered');
    expect(buildHostVars({ ...base, task: t1, extraVars: { who: 'extra' } }).who).toBe('extra');
  });

  it('count as defined for the undefined-variable check, as do loop_var and a rescue’s ansible_failed_*', () => {
    const site = (body: string) => `- hosts: all\n  gather_facts: false\n  tasks:\n${body}`;
    const check = (body: string) => {
      const { playbook } = load(site(body));
      return validatePlaybook(playbook, inventory, { modules: fakeModules }).map((p) => p.message);
    };
    expect(check('    - block:\n        - command: echo {{ a }} {{ b }}\n          vars: { b: 2 }\n      vars: { a: 1 }\n')).toEqual([]);
    expect(check('    - command: echo {{ p }}\n      loop: [1]\n      loop_control: { loop_var: p }\n')).toEqual([]);
    expect(check('    - command: echo {{ item }}\n      loop: [1]\n      loop_control: { loop_var: p }\n')).toEqual([
      "undefined variable 'item' in task 'command echo {{ item }}'",
    ]);
    expect(check('    - block:\n        - command: /bin/false\n      rescue:\n        - command: echo {{ ansible_failed_task.name }}\n')).toEqual([]);
    expect(check('    - command: echo {{ ansible_failed_result.msg }}\n')).toEqual([
      "undefined variable 'ansible_failed_result' in task 'command echo {{ ansible_failed_result.msg }}'",
    ]);
    expect(check('    - command: /bin/true\n      register: r\n      until: r.rc == 0 and s.rc == 0\n')).toEqual(["undefined variable 's' in task 'command /bin/true'"]);
  });
});
