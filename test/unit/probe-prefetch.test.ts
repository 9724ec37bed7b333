/**
 * The probe prefetch (issue 6): a run that changes nothing reads every task's state in one exec
 * after the facts; once a command changes the host, later tasks read their state again.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCheckedInputs } from '../../src/cli/checked-inputs.ts';
import { LocalConnection } from '../../src/connection/local.ts';
import type { ExecOptions, ExecResult } from '../../src/connection/types.ts';
import { EventBus, type TaskResult } from '../../src/core/events.ts';
import { runPlaybook } from '../../src/core/executor/run-playbook.ts';

class CountingConnection extends LocalConnection {
  execs = 0;
  commands: string[] = [];
  override exec(command: string, options?: ExecOptions): Promise<ExecResult> {
    this.execs++;
    this.commands.push(command);
    return super.exec(command, options);
  }
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'lvsdr-prefetch-'));
  writeFileSync(path.join(dir, 'inventory.yml'), 'all:\n  hosts:\n    h1: {}\n');
  writeFileSync(
    path.join(dir, 'site.yml'),
    `- hosts: all
  tasks:
    - name: a
      copy: { dest: "${dir}/a", content: "a\\n" }
    - name: b
      copy: { dest: "${dir}/b", content: "b\\n" }
    - name: b again, after b changed
      copy: { dest: "${dir}/b", content: "b\\n" }
    - name: c
      copy: { dest: "${dir}/c", content: "c\\n" }
`,
  );
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(check = false, site = 'site.yml'): Promise<{ results: TaskResult[]; execs: number; commands: string[] }> {
  const { playbook, inventory, extraVars } = loadCheckedInputs(path.join(dir, site), [path.join(dir, 'inventory.yml')], []);
  const conn = new CountingConnection({ name: 'h1' });
  const events = new EventBus();
  const results: TaskResult[] = [];
  events.subscribe((e) => {
    if (e.type === 'task:result') results.push(e.result);
  });
  await runPlaybook(playbook, inventory, { check, forks: 1, tags: [], skipTags: [], extraVars, become: false, taskTimeoutMs: 30_000, connectionFor: () => conn, events });
  return { results, execs: conn.execs, commands: conn.commands };
}

const statuses = (r: { results: TaskResult[] }) => r.results.map((x) => `${x.task}: ${x.status}`);

describe('probe prefetch', () => {
  it('a run that changes nothing costs the facts and one exec for every task’s state', async () => {
    await run();
    const again = await run();
    expect(statuses(again)).toEqual(['a: ok', 'b: ok', 'b again, after b changed: ok', 'c: ok']);
    expect(again.execs).toBe(2);
    const check = await run(true);
    expect(statuses(check)).toEqual(statuses(again));
    expect(check.execs).toBe(2);
  });

  it('after a change, later tasks plan on state read again where the change could reach it', async () => {
    await run();
    writeFileSync(path.join(dir, 'b'), 'drifted\n');
    const r = await run();
    expect(statuses(r)).toEqual(['a: ok', 'b: changed', 'b again, after b changed: ok', 'c: ok']);
    expect(readFileSync(path.join(dir, 'b'), 'utf8')).toBe('b\n');
    // Facts, prefetch, b's write, and b read again; writing b cannot change c, so c is not read again.
    expect(r.execs).toBe(4);
  });

  it('check mode plans later tasks on the would-be state of earlier ones', async () => {
    writeFileSync(path.join(dir, 'b'), 'drifted\n');
    const r = await run(true);
    expect(statuses(r)).toEqual(['a: changed', 'b: changed', 'b again, after b changed: ok', 'c: changed']);
    expect(r.execs).toBe(2);
  });

  it('reads the state of a statically named include_tasks file with the rest', async () => {
    writeFileSync(path.join(dir, 'inc.yml'), `- name: inner\n  copy: { dest: "${dir}/inner", content: "i\\n" }\n`);
    writeFileSync(path.join(dir, 'include.yml'), `- hosts: all\n  tasks:\n    - include_tasks: inc.yml\n    - name: c\n      copy: { dest: "${dir}/c", content: "c\\n" }\n`);
    const r = await run(true, 'include.yml');
    expect(statuses(r)).toEqual(['include_tasks: ok', 'inner: changed', 'c: changed']);
    expect(r.execs).toBe(2);
  });

  it('plans on the addresses the facts read, without running ip again', async () => {
    writeFileSync(
      path.join(dir, 'vip.yml'),
      `- hosts: all
  tasks:
    - name: vip
      vip: { address: 198.18.1.251, device: lo, persist: false, arp_guard: none }
`,
    );
    const r = await run(true, 'vip.yml');
    expect(statuses(r)).toEqual(['vip: changed']);
    expect(r.execs).toBe(1);
    expect(r.commands.join('\n')).not.toContain('ip -j addr show');
  });
});
