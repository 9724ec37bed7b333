/**
 * The pieces with which a connection kills a timed-out command itself: the process group line a
 * command reports first, and the command that kills that group, run for real by /bin/sh here.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { killGroupCommand, PGID_MARK, remoteCommand, takePgidLine } from '../../src/connection/remote-command.ts';
import { running } from '../support/sshd.ts';

// Not spawnSync: the group's leader is this process's child, and must be reaped while the kill runs.
const sh = (script: string) => promisify(execFile)('/bin/sh', ['-c', script], { timeout: 10_000 });

describe('the process group line', () => {
  it('is printed first by the shell that execs the command, and taken off stderr whole', () => {
    const r = spawnSync('/bin/sh', ['-c', remoteCommand('echo out; echo err >&2', { reportPgid: true }).command], { encoding: 'utf8' });
    const { pgid, rest } = takePgidLine(r.stderr);
    expect(pgid).toBe(r.pid);
    expect(rest).toBe('err\n');
    expect(r.stdout).toBe('out\n');
  });

  it('gives no group until the line is whole, and leaves other stderr alone', () => {
    expect(takePgidLine(`${PGID_MARK} 12`)).toEqual({ rest: '' });
    expect(takePgidLine(`${PGID_MARK} 12\nx`)).toEqual({ pgid: 12, rest: 'x' });
    expect(takePgidLine('oops\n')).toEqual({ rest: 'oops\n' });
  });

  it('is not asked for under become, where the host runs `timeout` inside sudo', () => {
    const r = remoteCommand('true', { become: true, reportPgid: true, timeoutMs: 5000 });
    expect(r.command).not.toContain(PGID_MARK);
    expect(r.command).toContain('timeout -k 2 5 ');
  });
});

describe('killGroupCommand', () => {
  it('kills a group and what it started, and returns as soon as the group is gone', async () => {
    const leader = spawn('/bin/sh', ['-c', 'sleep 60 & echo $!; wait'], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    const child = Number(await new Promise<string>((resolve) => leader.stdout.once('data', (d: Buffer) => resolve(d.toString()))));
    const started = performance.now();
    await sh(killGroupCommand(leader.pid!));
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(running(child)).toBe(false);
  });

  it('sends KILL after 2 s to a group that ignores TERM', async () => {
    const leader = spawn('/bin/sh', ['-c', "trap '' TERM; echo ready; while :; do sleep 0.05; done"], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    await new Promise((resolve) => leader.stdout.once('data', resolve));
    const exited = new Promise((resolve) => leader.once('exit', (_code, signal) => resolve(signal)));
    await sh(killGroupCommand(leader.pid!));
    expect(await exited).toBe('SIGKILL');
  });

  it('succeeds for a group that is already gone, and refuses what is no group id', async () => {
    await sh(killGroupCommand(2 ** 22 + 7));
    for (const bad of [0, 1, -5, 1.5, NaN]) expect(() => killGroupCommand(bad)).toThrow(/not a process group/);
  });
});
