/**
 * The pieces with which a connection kills a timed-out command itself: the process group line a
 * command reports first, and the command that kills that group, run for real by /bin/sh here.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { invocation } from '../../src/connection/invocation.ts';
import { killGroupCommand } from '../../src/connection/kill-on-timeout.ts';
import { PID_MARK, StderrHead, type SetupReport } from '../../src/connection/pid-line.ts';
import { ends } from '../support/sshd.ts';

// Not spawnSync: the group's leader is this process's child, and must be reaped while the kill runs.
const sh = (script: string) => promisify(execFile)('/bin/sh', ['-c', script], { timeout: 10_000 });

/** What StderrHead makes of `text` fed in chunks of `size` bytes: the pid, and the rest of stderr. */
function readHead(text: string, size: number, report?: SetupReport): { pid?: number; rest: string } {
  const head = new StderrHead(report);
  const bytes = Buffer.from(text);
  const after: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) {
    const rest = head.push(bytes.subarray(i, i + size));
    if (rest) after.push(rest);
  }
  return { pid: head.pid, rest: head.takePreamble() + Buffer.concat(after).toString('utf8') };
}

describe('the pid line', () => {
  it('is printed first by the shell that execs the command, and taken off stderr whole', () => {
    const r = spawnSync('/bin/sh', ['-c', invocation('echo out; echo err >&2', { reportPid: true }).command], { encoding: 'utf8' });
    const { pid, rest } = readHead(r.stderr, r.stderr.length);
    expect(pid).toBe(r.pid);
    expect(rest).toBe('err\n');
    expect(r.stdout).toBe('out\n');
  });

  it('gives no pid until the line is whole, and keeps the lines around it, however stderr is cut', () => {
    for (const size of [1, 2, 3, 5, 1000]) {
      expect(readHead(`${PID_MARK} 12`, size)).toEqual({ rest: `${PID_MARK} 12` });
      expect(readHead(`${PID_MARK} 12\nx`, size)).toEqual({ pid: 12, rest: 'x' });
      expect(readHead(`sudo: lecture ü\n${PID_MARK} 12\nx ü\n${PID_MARK} 13\n`, size)).toEqual({ pid: 12, rest: `sudo: lecture ü\nx ü\n${PID_MARK} 13\n` });
      expect(readHead(`say ${PID_MARK} 12\n`, size)).toEqual({ rest: `say ${PID_MARK} 12\n` });
      expect(readHead('oops\n', size)).toEqual({ rest: 'oops\n' });
    }
  });

  it('hands the setup\'s report lines before it to their reader, and keeps them out of stderr', () => {
    for (const size of [1, 4, 1000]) {
      const lines: string[] = [];
      const head = readHead(`@@lvsdr-lock waiting ü\nsudo: x\n@@lvsdr-lock taken\n${PID_MARK} 7\nout\n`, size, { mark: '@@lvsdr-lock', onLine: (l) => lines.push(l) });
      expect(head).toEqual({ pid: 7, rest: 'sudo: x\nout\n' });
      expect(lines).toEqual(['waiting ü', 'taken']);
    }
  });

  it('is not asked for under become, where the host runs `timeout` inside sudo', () => {
    const r = invocation('true', { become: true, reportPid: true, timeoutMs: 5000 });
    expect(r.command).not.toContain(PID_MARK);
    expect(r.command).toContain('timeout -k 2 5 ');
  });
});

describe('killGroupCommand', () => {
  it('kills the group of a pid and what it started, with TERM first', async () => {
    const leader = spawn('/bin/sh', ['-c', 'sleep 60 & echo $!; wait'], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    const child = Number(await new Promise<string>((resolve) => leader.stdout.once('data', (d: Buffer) => resolve(d.toString()))));
    const exited = new Promise((resolve) => leader.once('exit', (_code, signal) => resolve(signal)));
    await sh(killGroupCommand(leader.pid!));
    expect(await exited).toBe('SIGTERM');
    expect(await ends(child)).toBe(true);
  });

  it('sends KILL after 2 s to a group that ignores TERM', async () => {
    const leader = spawn('/bin/sh', ['-c', "trap '' TERM; echo ready; while :; do sleep 0.05; done"], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    await new Promise((resolve) => leader.stdout.once('data', resolve));
    const exited = new Promise((resolve) => leader.once('exit', (_code, signal) => resolve(signal)));
    await sh(killGroupCommand(leader.pid!));
    expect(await exited).toBe('SIGKILL');
  });

  it('succeeds for a process that is already gone, and refuses what is no pid', async () => {
    await sh(killGroupCommand(2 ** 22 + 7));
    for (const bad of [0, 1, -5, 1.5, NaN]) expect(() => killGroupCommand(bad)).toThrow(/not a process id/);
  });
});
