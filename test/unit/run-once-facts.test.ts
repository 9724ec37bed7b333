/**
 * The facts of a `run_once` task reach every host of the batch, as Ansible's strategy gives them
 * (get_task_hosts), unless `delegate_facts` sent them to the delegate alone (get_delegated_hosts).
 * Checked with ansible-playbook 2.14 on two local hosts: `set_fact` with run_once, in a loop too.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProblemList } from '../../src/core/errors.ts';
import { HostRun } from '../../src/core/executor/host-run.ts';
import { adoptRunOnce } from '../../src/core/executor/task-outcome.ts';
import { loadPlaybook } from '../../src/core/playbook/load.ts';
import { leafTasks } from '../../src/core/playbook/types.ts';
import { writeTree } from './playbook-helpers.ts';

const SITE = `- hosts: all
  tasks:
    - name: plain
      set_fact: { once: 1 }
      run_once: true
    - name: delegated facts
      set_fact: { onced: 2 }
      run_once: true
      delegate_to: b
      delegate_facts: true
`;

function tasks() {
  const dir = writeTree({ 'site.yml': SITE });
  const problems = new ProblemList();
  const playbook = loadPlaybook(join(dir, 'site.yml'), { problems });
  expect(problems.items).toEqual([]);
  return (name: string) => leafTasks(playbook.plays[0].tasks).find((t) => t.name === name)!;
}

describe('run_once and the facts it sets', () => {
  it("gives the other hosts of the batch the facts, an item's too", () => {
    const task = tasks();
    const other = new HostRun({ name: 'c', vars: {}, groups: ['all'] });
    adoptRunOnce(task('plain'), other, { status: 'ok', registered: { changed: false, failed: false, ansible_facts: { once: 1 } } });
    expect(other.registered.once).toBe(1);
    const loop = { changed: false, failed: false, results: [{ failed: false, ansible_facts: { looped: 'x' } }, { failed: false, ansible_facts: { looped: 'y' } }] };
    adoptRunOnce(task('plain'), other, { status: 'ok', registered: loop });
    expect(other.registered.looped).toBe('y');
  });

  it('gives them nothing when delegate_facts sent the facts to the delegate', () => {
    const task = tasks();
    const other = new HostRun({ name: 'c', vars: {}, groups: ['all'] });
    adoptRunOnce(task('delegated facts'), other, { status: 'ok', registered: { changed: false, failed: false, ansible_facts: { onced: 2 } } });
    expect(other.registered.onced).toBeUndefined();
  });
});
