/**
 * The host lock a run or a rollout asks for (issue 19, src/connection/host-lock.ts): how long to
 * wait, and the line that tells another operator who holds a host.
 */
import { randomBytes } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import type { Argv } from 'yargs';
import type { RunLock } from '../core/executor/run-playbook.ts';
import { checkNumberFlags } from './seconds-option.ts';

export const DEFAULT_LOCK_TIMEOUT_S = 120;

export function withLockOptions(y: Argv): Argv {
  const flag = y.option('lock-timeout', {
    type: 'number',
    default: DEFAULT_LOCK_TIMEOUT_S,
    describe: 'seconds to wait for another run to release a host (0: fail at once)',
  });
  return checkNumberFlags(flag, [{ flag: 'lock-timeout', min: 0, hint: 'give 0 (fail at once when another run holds a host) or more, e.g. --lock-timeout 60' }]);
}

/**
 * `what` names the work (`run playbooks/x.yml`); the rest of the command line stays off the host,
 * since extra vars can hold secrets. One line, as the lock file keeps it.
 */
export function runLock(argv: Record<string, unknown>, what: string): RunLock {
  const runId = randomBytes(6).toString('hex');
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // A uid without a passwd entry (a container) has no name; the pid still tells runs apart.
  }
  const holder = `user=${user} controller=${hostname()} pid=${process.pid} since=${new Date().toISOString()} run=${runId} command=lvsdr ${what}`;
  return { timeoutSec: Number(argv['lock-timeout']), runId, holder: holder.replace(/[\x00-\x1f\x7f]/g, ' ') };
}
