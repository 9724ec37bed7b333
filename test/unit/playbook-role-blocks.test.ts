/** Roles and blocks together: a role's blocks take the role entry's keywords as its tasks do, and task vars sit among the role layers where Ansible puts them. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { selectTasks } from '../../src/core/executor/tags.ts';
import { loadInventory } from '../../src/core/inventory/index.ts';
import { loadPlaybook } from '../../src/core/playbook/load.ts';
import { isBlock, leafTasks } from '../../src/core/playbook/types.ts';
import { buildHostVars } from '../../src/core/vars.ts';
import { fakeModules, INVENTORY, writeTree } from './playbook-helpers.ts';

const TREE = {
  'site.yml': `- hosts: all
  vars:
    v: play
  pre_tasks:
    - block:
        - command: echo pre
      always:
        - command: echo pre-always
  roles:
    - role: r
      when: go
      tags: rt
      become: true
      v: param
  tasks:
    - command: echo task
`,
  'roles/r/defaults/main.yml': 'v: default\nw: default\n',
  'roles/r/vars/main.yml': 'w: role-vars\n',
  'roles/r/tasks/main.yml': `- name: guarded
  block:
    - name: inner
      command: echo inner
      vars:
        w: task
    - import_role:
        name: s
  rescue:
    - name: fix
      command: echo fix
  when: inner_go
  tags: bt
- name: plain
  command: echo plain
`,
  'roles/r/handlers/main.yml': '- name: h\n  command: echo h\n',
  'roles/s/tasks/main.yml': '- name: deep\n  command: echo deep\n',
  'inventory.yml': INVENTORY,
};

describe('a role with blocks', () => {
  const dir = writeTree(TREE);
  const play = loadPlaybook(join(dir, 'site.yml'), { modules: fakeModules }).plays[0];

  it('keeps its blocks, runs in pre_tasks, roles, tasks order, and cuts the handlers after top-level entries', () => {
    expect(play.tasks.map((n) => (isBlock(n) ? 'block' : n.name))).toEqual(['block', 'block', 'r : plain', 'command echo task']);
    expect(play.flushAfter).toEqual([1, 4]);
    expect(leafTasks(play.tasks).map((t) => t.name)).toEqual([
      'command echo pre',
      'command echo pre-always',
      'r : inner',
      's : deep',
      'r : fix',
      'r : plain',
      'command echo task',
    ]);
    expect(play.handlers.map((h) => h.name)).toEqual(['r : h']);
  });

  it("hands the role entry's when, tags and become to every task, outside the block's own", () => {
    const [, , inner, deep, fix, plain] = leafTasks(play.tasks);
    expect(inner.when).toEqual(['go', 'inner_go']);
    expect(fix.when).toEqual(['go', 'inner_go']);
    expect(plain.when).toEqual(['go']);
    expect(inner.tags.sort()).toEqual(['bt', 'rt']);
    expect(plain.tags).toEqual(['rt']);
    expect(inner.access.become).toBe(true);
    expect(fix.role?.name).toBe('r');
    // A role imported inside the block keeps its own chain (r, then s), and r's block keywords.
    expect(deep.role?.name).toBe('s');
    expect(deep.when).toEqual(['go', 'inner_go']);
    expect(play.handlers[0].when).toEqual(['go']);
  });

  it('copies a role it runs twice, so neither copy takes the keywords twice', () => {
    const twice = loadPlaybook(
      join(
        writeTree({
          'site.yml': '- hosts: all\n  roles:\n    - { role: d, when: x }\n    - { role: d, when: x }\n',
          'roles/d/meta/main.yml': 'allow_duplicates: true\n',
          'roles/d/tasks/main.yml': '- block:\n    - command: echo d\n  when: y\n',
        }),
        'site.yml',
      ),
      { modules: fakeModules },
    ).plays[0];
    const [first, second] = leafTasks(twice.tasks);
    expect(first).not.toBe(second);
    expect([first.when, second.when]).toEqual([
      ['x', 'y'],
      ['x', 'y'],
    ]);
  });

  it('selects by tags inside the role as a tree', () => {
    const kept = selectTasks(play.tasks, (t) => t.tags.includes('bt'));
    expect(kept.map((n) => (isBlock(n) ? 'block' : n.name))).toEqual(['block']);
    expect(leafTasks(kept).map((t) => t.name)).toEqual(['r : inner', 's : deep', 'r : fix']);
  });

  it('puts task vars above role vars and below role parameters', () => {
    const inventory = loadInventory([join(dir, 'inventory.yml')]);
    const [, , inner, , , plain] = leafTasks(play.tasks);
    const vars = (task: typeof inner, registered = {}) =>
      buildHostVars({ inventory, host: inventory.hosts.get('rs1')!, play, task, extraVars: {}, registered, checkMode: false, playbookDir: dir });
    expect(vars(plain).w).toBe('role-vars');
    expect(vars(inner).w).toBe('task');
    expect(vars(inner, { w: 'registered' }).w).toBe('registered');
    expect(vars(inner).v).toBe('param');
    expect(vars(inner, { v: 'registered' }).v).toBe('param');
  });
});
