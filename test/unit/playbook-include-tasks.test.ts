/** Loading include_tasks: the line stays a task; a static name's file is read and checked with the playbook. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, ProblemList } from '../../src/core/errors.ts';
import { loadInventory } from '../../src/core/inventory/index.ts';
import { loadPlaybook } from '../../src/core/playbook/load.ts';
import { allTasks, isBlock, leafTasks, type Task } from '../../src/core/playbook/types.ts';
import { validatePlaybook } from '../../src/core/playbook/validate.ts';
import { fakeModules, INVENTORY, writeTree } from './playbook-helpers.ts';

function load(files: Record<string, string>) {
  const dir = writeTree(files);
  const problems = new ProblemList();
  const playbook = loadPlaybook(join(dir, 'site.yml'), { modules: fakeModules, problems });
  return { dir, playbook, problems: problems.items.map((p) => formatProblem(p).replaceAll(`${dir}/`, '')) };
}

const byName = (tasks: Task[], name: string): Task => tasks.find((t) => t.name === name)!;

describe('include_tasks', () => {
  it('keeps the line as a task with its own when and tags, and hands apply and the block around it to the included tasks', () => {
    const { playbook, problems } = load({
      'site.yml': `- hosts: all
  tasks:
    - block:
        - name: the line
          include_tasks:
            file: tasks/a.yml
            apply: { tags: [applied], become: true }
          when: line_ok
          tags: [line]
          vars: { port: 80 }
          loop: [1, 2]
          register: inc
      when: block_ok
      tags: [blk]
`,
      'tasks/a.yml': `- name: inner
  command: echo {{ port }} {{ item }}
  vars: { own: 1 }
- include_tasks: b.yml
`,
      'tasks/b.yml': `- name: nested
  command: echo nested
`,
    });
    expect(problems).toEqual([]);
    const [block] = playbook.plays[0].tasks;
    if (!isBlock(block)) throw new Error('expected a block');
    const line = block.block[0] as Task;
    // As the play lists it: one task, the line.
    expect(leafTasks(playbook.plays[0].tasks).map((t) => t.name)).toEqual(['the line']);
    expect(line).toMatchObject({ module: 'include_tasks', when: ['block_ok', 'line_ok'], tags: ['blk', 'line'], register: 'inc', loop: [1, 2] });
    expect(line.include!.path).toMatch(/tasks\/a\.yml$/);
    expect(line.include!.inherited).toHaveLength(1);
    const all = allTasks(playbook.plays[0].tasks);
    const inner = byName(all, 'inner');
    // Not the line's when or tags; apply's and the block's.
    expect(inner.when).toEqual(['block_ok']);
    expect(inner.tags).toEqual(['blk', 'applied']);
    expect(inner.access.become).toBe(true);
    expect(inner.includeParams).toEqual({ port: 80 });
    expect(inner.vars).toEqual({ own: 1 });
    // A nested include is found beside its including file, and its tasks take what reaches the outer line's.
    const nested = byName(all, 'nested');
    expect(nested.tags).toEqual(['blk', 'applied']);
    expect(nested.includeParams).toEqual({ port: 80 });
  });

  it('leaves a templated name for the run, and checks the loop variable and the line’s vars in a static file', () => {
    const { dir, playbook, problems } = load({
      'site.yml': `- hosts: all
  tasks:
    - include_tasks: tasks/vip.yml
      loop: "{{ vips }}"
      loop_control: { loop_var: vip }
      vars: { port: 80 }
    - include_tasks: "tasks/{{ flavour }}.yml"
    - name: after
      command: echo {{ set_somewhere }}
`,
      'tasks/vip.yml': `- name: vip
  command: echo {{ vip }}:{{ port }} {{ item }}
`,
    });
    expect(problems).toEqual([]);
    const [looping, templated] = leafTasks(playbook.plays[0].tasks);
    expect(templated.include!.tasks).toBeUndefined();
    expect(typeof templated.include!.read).toBe('function');
    const read = templated.include!.read!('tasks/vip.yml');
    expect('tasks' in read && read.tasks.map((t) => (t as Task).name)).toEqual(['vip']);
    expect(templated.include!.read!('tasks/nope.yml')).toMatchObject({ problems: [{ message: "include_tasks: could not find or access 'tasks/nope.yml'" }] });
    expect(looping.include!.tasks).toHaveLength(1);
    const inventory = loadInventory([writeInventory(dir)]);
    const found = validatePlaybook(playbook, inventory, { modules: fakeModules, extraVars: { flavour: 'x', vips: [] } }).map((p) => p.message);
    // `vip` is the include's loop variable and `port` its vars; `item` is defined nowhere. After a
    // templated include, any name may have been set.
    expect(found).toEqual(["undefined variable 'item' in task 'vip'"]);
  });

  it('refuses what it cannot honour, with the place', () => {
    const { problems } = load({
      'site.yml': `- hosts: all
  tasks:
    - include_tasks: missing.yml
    - include_tasks: "{{ x }}.yml"
      no_log: true
    - include_tasks: "a=b {{ x }}.yml"
    - include_tasks:
        file: "{{ x }}.yml"
        apply: { loop: [1] }
`,
    });
    expect(problems).toEqual([
      expect.stringMatching(/^site\.yml:3:22: include_tasks: file 'missing.yml' not found/),
      expect.stringMatching(/^site\.yml:5:7: 'no_log' on include_tasks is not supported: in Ansible 2.14 it applies to the include line alone/),
      expect.stringMatching(/^site\.yml:6:22: include_tasks has no argument 'a'/),
      expect.stringMatching(/^site\.yml:9:18: 'loop' cannot be used in include_tasks' apply/),
    ]);
  });

  it('names a role’s included tasks after the role and gives them its variables', () => {
    const { playbook, problems } = load({
      'site.yml': `- hosts: all
  roles: [vip]
`,
      'roles/vip/tasks/main.yml': `- include_tasks: setup.yml
  when: ok
`,
      'roles/vip/tasks/setup.yml': `- name: setup
  command: echo {{ vip_port }}
`,
      'roles/vip/defaults/main.yml': 'vip_port: 80\n',
    });
    expect(problems).toEqual([]);
    const all = allTasks(playbook.plays[0].tasks);
    expect(all.map((t) => t.name)).toEqual(['vip : include_tasks', 'vip : setup']);
    expect(all[1].role?.defaults).toEqual({ vip_port: 80 });
    expect(all[1].when).toEqual([]);
  });
});

function writeInventory(dir: string): string {
  const path = join(dir, 'inventory.yml');
  writeFileSync(path, INVENTORY);
  return path;
}
