/**
 * Running out of file descriptors is the controller's problem, not the host's (issue 22): each open
 * connection holds one socket, and a handshake briefly opens known_hosts and key files. bin/lvsdr
 * raises the soft RLIMIT_NOFILE to the hard one (Node cannot); what is left to say is which limit
 * was hit and how to raise it.
 */
import { readFileSync } from 'node:fs';
import { ControllerLimitError } from './types.ts';

/** Read while descriptors are still there: once they run out, /proc/self/limits cannot be opened. */
const limits = readOpenFileLimits();

function readOpenFileLimits(): { soft: string; hard: string } | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    const [soft, hard] = line?.split(/\s{2,}/).slice(1, 3) ?? [];
    return soft && hard ? { soft, hard } : undefined;
  } catch {
    return undefined;
  }
}

/** The error to raise instead of `err` when it says the controller ran out of descriptors. */
export function descriptorShortage(err: unknown, what: string): ControllerLimitError | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (code !== 'EMFILE' && code !== 'ENFILE') return undefined;
  const which =
    code === 'EMFILE'
      ? `this process's limit of open files${limits ? ` (soft ${limits.soft}, hard ${limits.hard})` : ''}`
      : "the system's limit of open files (fs.file-max)";
  return new ControllerLimitError(
    `the controller ran out of file descriptors (${code}: ${which}) while ${what}. ` +
      `This is not the host's fault. Raise the limit (ulimit -Hn in the shell that starts lvsdr, LimitNOFILE= ` +
      `in a systemd unit, nofile in /etc/security/limits.conf; bin/lvsdr raises the soft limit to the hard one) ` +
      `or lower --forks: a run needs about one descriptor per connection, at most --forks of them`,
  );
}
