/**
 * delegate_to and environment against a real host over ssh (issue 15): a task delegated to
 * localhost runs on this machine with the host's variables; `environment` reaches a command run
 * under become as another user.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lvsdr } from '../support/cli.ts';
import { LAB_TEST_TIMEOUT, labUnavailable, startLab, type Lab } from '../support/lab.ts';

const skip = labUnavailable();

describe.skipIf(skip)('delegate_to and environment on a lab host', () => {
  let lab: Lab;
  let scratch: string;
  beforeAll(async () => {
    lab = await startLab({ name: 'lang', realservers: 1, kind: 'light' });
    scratch = mkdtempSync(path.join(tmpdir(), 'lvsdr-lang-'));
  });
  afterAll(async () => {
    await lab?.down();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('runs a delegated task on this machine with the host\'s variables, and exports environment under become', { timeout: LAB_TEST_TIMEOUT }, async () => {
    const r = await lvsdr('run', 'test/fixtures/lang/delegate-env.yml', '-i', lab.inventoryPath, '-e', `scratch=${scratch}`, '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = (task: string) => r.events.find((e) => e.type === 'task:result' && e.task === task)?.stdout?.trim();
    const remote = out('not delegated');
    expect(out('where a delegated command runs')).toBe(hostname());
    expect(remote).not.toBe(hostname());
    expect(readFileSync(path.join(scratch, 'rs1.txt'), 'utf8')).toBe(`rs1 ran ${hostname()}\n`);
    expect(out('environment under become')).toBe('bar rs1\nnobody');
  });
});
