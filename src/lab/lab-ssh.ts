/**
 * SSH into lab hosts with the system's OpenSSH client, the lab key and the lab's known_hosts,
 * strict host key checking on: exactly what a user outside the lab does.
 */
import { runCommand, sleep } from './run-command.ts';
import type { CommandResult } from './run-command.ts';

export interface SshTarget {
  address: string;
  privateKey: string;
  knownHosts: string;
}

export function sshArgs(t: SshTarget, connectTimeoutSec = 5): string[] {
  return [
    '-i', t.privateKey,
    '-o', `UserKnownHostsFile=${t.knownHosts}`,
    '-o', 'StrictHostKeyChecking=yes',
    '-o', 'GlobalKnownHostsFile=/dev/null',
    '-o', 'BatchMode=yes',
    '-o', 'IdentitiesOnly=yes',
    '-o', `ConnectTimeout=${connectTimeoutSec}`,
    '-o', 'LogLevel=ERROR',
    '-F', '/dev/null',
    '-l', 'root',
    t.address,
  ];
}

/** Runs one remote command (shell text built with `sh`) and returns its result, bounded in time. */
export function sshExec(t: SshTarget, command: string, timeoutMs = 60_000, input?: string): Promise<CommandResult> {
  return runCommand('ssh', [...sshArgs(t), '--', command], { timeoutMs, input });
}

/** Polls until `ssh true` succeeds, or gives up at the deadline. */
export async function waitForSsh(t: SshTarget, deadline: number): Promise<boolean> {
  while (Date.now() < deadline) {
    const r = await runCommand('ssh', [...sshArgs(t, 2), '--', 'true'], { timeoutMs: 5_000 });
    if (r.code === 0) return true;
    await sleep(300);
  }
  return false;
}

/** Polls until a TCP connect to address:port succeeds (cheaper than ssh when waiting for many hosts). */
export async function waitForPort(address: string, port: number, deadline: number): Promise<boolean> {
  const { connect } = await import('node:net');
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host: address, port, timeout: 1_000 });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('timeout', () => {
        s.destroy();
        resolve(false);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return true;
    await sleep(200);
  }
  return false;
}
