/**
 * Task-level control on a real host (test/fixtures/control/site.yml): block/rescue/always, block and
 * task vars, with_<lookup> loops and loop_control, until/retries, ignore_errors, per-task check_mode
 * and the never tag, on rs1; run_once (test/fixtures/control/run-once.yml) on rs1 and rs2.
 * The end state and the recap counts on the first and second run and in check mode. The real runs'
 * counts and end state are the ones ansible-playbook (ansible-core 2.14.18) gave for the same
 * playbook on a twin host. Check mode counts a command it does not run as skipped, as Ansible does;
 * it differs by design in one thing: Ansible fails an `until` on a command it skipped after its
 * retries (lvsdr: does not retry what it did not run).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lvsdr, type CliRun } from '../support/cli.ts';
import { labUnavailable, sh, startLab, type Lab } from '../support/lab.ts';

const playbook = path.resolve('test/fixtures/control/site.yml');
const runOnce = path.resolve('test/fixtures/control/run-once.yml');
const BASE = '/etc/lvsdr-control';

const recapOf = (r: CliRun) => r.events.find((e) => e.type === 'recap')!.stats.rs1;
const results = (r: CliRun) => r.events.filter((e) => e.type === 'task:result');

/** Every file under BASE with its content, one `name: content` line each, sorted. */
const END_STATE = sh`cd ${BASE} && for f in $(ls | sort); do printf '%s: %s\n' "$f" "$(cat "$f")"; done`.text;

const skip = labUnavailable();

describe.skipIf(skip)('task-level control on a lab host', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ name: 'control', realservers: 2, kind: 'light' });
  });
  afterAll(async () => {
    await lab?.down();
  });

  it('check, first run, second run: the end state and the recap as ansible-playbook gives them', { timeout: 120_000 }, async () => {
    const check = await lvsdr('run', playbook, '-i', lab.inventoryPath, '--limit', 'rs1', '--check', '--json');
    expect(check.stderr).toBe('');
    // Only the task with check_mode: false wrote anything.
    expect((await lab.exec('rs1', sh`test -e ${BASE} && echo exists || echo absent; cat /etc/lvsdr-control-written`.text)).stdout).toBe('absent\nwritten\n');
    // Check mode runs no command, so nothing fails and no rescue runs: the copy after the failing
    // command is planned; skipped: the block whose `when` is false (2), the three commands and the
    // `until` task (not run in check mode, as Ansible's command module).
    expect(recapOf(check)).toEqual({ ok: 12, changed: 12, unreachable: 0, failed: 0, skipped: 6, rescued: 0, ignored: 0 });

    const first = await lvsdr('run', playbook, '-i', lab.inventoryPath, '--limit', 'rs1', '--json');
    expect(first.code).toBe(0);
    // The ignored failure is a command that ran: changed, as Ansible counts it; so is the copy that
    // check_mode: true only plans (it never writes planned-only); the check run wrote the other.
    expect(recapOf(first)).toEqual({ ok: 15, changed: 13, unreachable: 0, failed: 0, skipped: 2, rescued: 2, ignored: 1 });
    expect((await lab.exec('rs1', END_STATE)).stdout).toBe(
      [
        'alpha.conf: 1',
        'always.txt: always who=block',
        'beta.conf: 2',
        'candidate.conf: who=block',
        // until: counter.stdout | int >= 2 held at the second attempt.
        'counter: 2',
        'i-a: a',
        'i-b: b',
        'i-c: c',
        'inner-always.txt: inner',
        'n01: 01',
        'n02: 02',
        'n03: 03',
        'outer-rescue.txt: outer caught Inner failure',
        'pair-x: 1',
        'pair-y: 2',
        'port-443-1: task',
        'port-80-0: task',
        'rescued.txt: A check that fails rc=1',
        '',
      ].join('\n'),
    );
    const failures = results(first).filter((r) => r.status === 'failed');
    expect(failures.map((r) => [r.task, Boolean(r.rescued), Boolean(r.ignored)])).toEqual([
      ['A check that fails', true, false],
      ['Inner failure', true, false],
      ['A failure ignored', false, true],
    ]);
    // retries: 3 allows four attempts; the second held (Ansible: "FAILED - RETRYING ... (3 retries left)").
    expect(first.events.filter((e) => e.type === 'task:retry').map((e) => [e.task, e.retriesLeft])).toEqual([['Count until two', 3]]);
    expect(results(first).filter((r) => r.task === 'Files per port, with task vars').map((r) => r.item)).toEqual(['port 80', 'port 443']);

    const second = await lvsdr('run', playbook, '-i', lab.inventoryPath, '--limit', 'rs1', '--json');
    expect(second.code).toBe(0);
    expect(recapOf(second)).toEqual({ ok: 15, changed: 2, unreachable: 0, failed: 0, skipped: 2, rescued: 2, ignored: 1 });
    expect((await lab.exec('rs1', sh`cat ${BASE}/counter`.text)).stdout).toBe('3\n');

    // After a run: the copy after the first command, which check mode plans because the command
    // did not run (skipped, so it did not fail), and the copy that is only ever planned.
    const after = await lvsdr('run', playbook, '-i', lab.inventoryPath, '--limit', 'rs1', '--check', '--json');
    expect(recapOf(after)).toEqual({ ok: 12, changed: 2, unreachable: 0, failed: 0, skipped: 6, rescued: 0, ignored: 0 });
    expect(results(after).filter((r) => r.status === 'changed').map((r) => r.task)).toEqual(['Never reached', 'Only planned, even in a real run']);
  });

  it('--tags never runs the never task (and fails the host); --skip-tags all runs nothing', { timeout: 60_000 }, async () => {
    const never = await lvsdr('run', playbook, '-i', lab.inventoryPath, '--limit', 'rs1', '--tags', 'never', '--json');
    expect(results(never).map((r) => [r.task, r.status])).toEqual([['Only when asked for', 'failed']]);
    const none = await lvsdr('run', playbook, '-i', lab.inventoryPath, '--limit', 'rs1', '--skip-tags', 'all', '--json');
    expect(results(none)).toEqual([]);
  });

  it('run_once runs on one host of the batch and registers its result on all; with serial, once per batch', { timeout: 60_000 }, async () => {
    const r = await lvsdr('run', runOnce, '-i', lab.inventoryPath, '--json');
    expect(r.code).toBe(0);
    const ran = results(r).filter((e) => e.task === 'Once for the batch').map((e) => e.host);
    expect(ran).toHaveLength(1);
    const other = ran[0] === 'rs1' ? 'rs2' : 'rs1';
    const state = async (host: string) => (await lab.exec(host, sh`cat /etc/lvsdr-once-by; cat /etc/lvsdr-once.log 2>/dev/null || echo none; cat /etc/lvsdr-once-serial.log`.text)).stdout;
    expect(await state(ran[0])).toBe(`${ran[0]}\n${ran[0]}\n${ran[0]}\n`);
    expect(await state(other)).toBe(`${ran[0]}\nnone\n${other}\n`);
    const stats = r.events.find((e) => e.type === 'recap')!.stats;
    expect(stats[ran[0]]).toMatchObject({ ok: 3, changed: 3, failed: 0 });
    expect(stats[other]).toMatchObject({ ok: 2, changed: 2, failed: 0 });
  });
});
