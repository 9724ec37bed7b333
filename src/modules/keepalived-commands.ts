/**
 * The remote side of the keepalived module: is the daemon running (and how), and the commands that
 * put a new configuration in place — validated first, swapped in atomically, then reloaded.
 */
import path from 'node:path';
import type { ExecResult } from '../connection/types.ts';
import { sh } from '../shell/quote.ts';
import { writeFileCommand } from './remote-file.ts';
import { factKey, factProbe, type Fact, type Probe } from '../facts/fact.ts';
import type { RemoteCommand } from './types.ts';

/** How keepalived runs: as the systemd unit, as a bare process (a host without systemd), or not at all. */
export type KeepalivedRunning = 'unit' | 'process' | 'none';


/** keepalived's default pid file (its parent process); a bare `keepalived -f FILE` writes it too. */
export const KEEPALIVED_PID_FILE = '/run/keepalived.pid';

export const keepalivedDaemonFact: Fact<void, KeepalivedRunning> = {
  kind: 'daemon',
  id: () => 'keepalived',
  // The pid file alone could name a process that died and whose pid was reused: check its name.
  read: {
    command: () =>
      sh`if [ -d /run/systemd/system ] && systemctl is-active --quiet keepalived; then echo unit; elif p=$(cat ${KEEPALIVED_PID_FILE} 2>/dev/null) && [ "$(cat /proc/"$p"/comm 2>/dev/null)" = keepalived ]; then echo process; else echo none; fi`,
  },
  parse: (r) => parseKeepalivedRunning(r),
  unread: 'none',
};

export const keepalivedDaemonKey = factKey(keepalivedDaemonFact, undefined);
export const keepalivedDaemonProbe = (): Probe<KeepalivedRunning> => factProbe(keepalivedDaemonFact, undefined);

export function parseKeepalivedRunning(r: ExecResult): KeepalivedRunning {
  const word = r.stdout.trim();
  if (word === 'unit' || word === 'process' || word === 'none') return word;
  throw new Error(`cannot tell whether keepalived runs: ${(r.stderr || r.stdout).trim() || `exit ${r.code}`}`);
}

/** The candidate file sits beside the live one: same filesystem (so the rename is atomic) and same relative includes. */
export const candidatePath = (live: string): string => `${live}.lvsdr-new`;

/**
 * Writes the candidate, has keepalived check it, and only then renames it over the live file.
 * keepalived --config-test exits non-zero on any error or warning it reports, on stderr; on
 * failure its lines go to stderr followed by one line saying the live file was left alone, so the
 * task's message shows keepalived's own words. (It exits 0 for a missing file, which cannot
 * happen here: the candidate was just written.)
 */
export function installConfigCommands(live: string, content: string, mode: string): RemoteCommand[] {
  const candidate = candidatePath(live);
  return [
    writeFileCommand(candidate, content, { mode }),
    {
      command: sh`out=$(keepalived --config-test -f ${candidate} 2>&1); rc=$?; if [ "$rc" -ne 0 ]; then rm -f ${candidate}; printf '%s\\n' "$out" >&2; echo "keepalived --config-test rejected the new configuration (exit $rc); "${live}" was not changed" >&2; exit "$rc"; fi`,
    },
    { command: sh`mv -f ${candidate} ${live} && sync ${path.posix.dirname(live)}` },
  ];
}

/**
 * SIGHUP makes keepalived re-read its configuration and keep its virtual servers and VIPs; a
 * restart would drop them all until it came back. Under systemd the unit's ExecReload sends it.
 */
export function reloadCommand(running: Exclude<KeepalivedRunning, 'none'>): RemoteCommand {
  return { command: running === 'unit' ? sh`systemctl reload keepalived` : sh`kill -HUP "$(cat ${KEEPALIVED_PID_FILE})"` };
}

/**
 * Without systemd keepalived daemonizes itself and its exit status says nothing about whether it
 * stays up (it exits at once, status 0 to the caller, when e.g. the kernel has no IPVS): give it a
 * second, then look for the process its pid file names.
 */
export function startCommand(systemd: boolean, live: string): RemoteCommand {
  if (systemd) return { command: sh`systemctl start keepalived` };
  return {
    command: sh`keepalived -f ${live} && sleep 1 && { p=$(cat ${KEEPALIVED_PID_FILE} 2>/dev/null) && kill -0 "$p" 2>/dev/null || { echo "keepalived exited right after it started; run: keepalived -n -l -f "${live}" to see why" >&2; exit 1; }; }`,
  };
}
