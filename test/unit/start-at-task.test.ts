/** --start-at-task finds the task as ansible-core 2.14's PlayIterator does (the cases were run with ansible-playbook). */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProblemList } from '../../src/core/errors.ts';
import { findStartAt } from '../../src/core/executor/start-at-task.ts';
import { taskSelected } from '../../src/core/executor/tags.ts';
import { loadPlaybook } from '../../src/core/playbook/load.ts';
import { leafTasks, type Play, type Playbook, type Task } from '../../src/core/playbook/types.ts';
import { fakeModules, writeTree } from './playbook-helpers.ts';

const SITE = `- hosts: all
  tasks:
    - command: echo p1
- hosts: all
  tasks:
    - name: one
      command: echo one
    - block:
        - name: two
          command: echo two
          tags: [t]
        - name: three
          command: echo three
      rescue:
        - name: saved
          command: echo saved
      always:
        - name: four
          command: echo four
- hosts: all
  roles: [web]
`;

function load(): Playbook {
  const dir = writeTree({ 'site.yml': SITE, 'roles/web/tasks/main.yml': '- name: serve\n  command: echo serve\n- command: echo unnamed\n' });
  const problems = new ProblemList();
  const playbook = loadPlaybook(join(dir, 'site.yml'), { modules: fakeModules, problems });
  expect(problems.items).toEqual([]);
  return playbook;
}

const all = (): boolean => true;
const names = (playbook: Playbook, pattern: string, selected: (play: Play, task: Task) => boolean = all) => {
  const found = findStartAt(playbook.plays, pattern, selected);
  if (!found) return undefined;
  return { play: found.play, skipped: leafTasks(playbook.plays[found.play].tasks).filter((t) => found.skipped.has(t)).map((t) => t.name) };
};

describe('--start-at-task', () => {
  const playbook = load();

  it('starts in the play holding the task, leaving out the tasks a host passes before it', () => {
    expect(names(playbook, 'three')).toEqual({ play: 1, skipped: ['one', 'two'] });
    expect(names(playbook, 'one')).toEqual({ play: 1, skipped: [] });
  });

  it("matches an fnmatch pattern, an unnamed task by its module, and a role's task by its name or as role : name", () => {
    expect(names(playbook, 't*o')).toEqual({ play: 1, skipped: ['one'] });
    expect(names(playbook, 'command')).toEqual({ play: 0, skipped: [] });
    expect(names(playbook, 'serve')).toEqual({ play: 2, skipped: [] });
    expect(names(playbook, 'web : serve')).toEqual({ play: 2, skipped: [] });
    expect(names(playbook, 'web : command')?.skipped).toEqual(['web : serve']);
  });

  it("starting in a block's always leaves out its rescue; a rescue or a task the tags leave out is never matched", () => {
    expect(names(playbook, 'four')).toEqual({ play: 1, skipped: ['one', 'two', 'three', 'saved'] });
    expect(names(playbook, 'saved')).toBeUndefined();
    const tagged = (t: Task): boolean => taskSelected(t.tags, ['t'], []);
    expect(names(playbook, 'three', (_p: Play, t: Task) => tagged(t))).toBeUndefined();
    expect(names(playbook, 'two', (_p: Play, t: Task) => tagged(t))?.play).toBe(1);
  });
});
