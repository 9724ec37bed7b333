/**
 * What a change can alter of what the host's probe cache holds (issue 6). After a change, a task
 * plans on state read again; reading again only what the change's commands can reach spares a
 * first run about a third of its processes. Each command says what it touches (RemoteCommand's
 * `touches`); one that does not say (a service start, a command) could alter anything, and then
 * everything is read again.
 *
 * Files are where a path alone can mislead: links give one file several names, and some state is
 * read from files. So a touched file reaches, besides itself, the files above and below it, any
 * file of the same name (a linked directory: /lib and /usr/lib), any file the cache knows as a
 * link, and every kind of state that is read from files of its sort — or from files at all,
 * unless the kind is known to be read from none.
 */
import path from 'node:path';
import type { ExecResult } from '../../connection/types.ts';
import type { RemoteCommand } from '../../modules/types.ts';
import { keyOfProbeId } from './probe-batch.ts';

/** Kinds of state no file holds: writing or removing a file leaves them as they are. */
const READ_FROM_NO_FILE = new Set(['sysctl', 'iptables', 'ip6tables', 'arptables', 'net', 'listening']);

/**
 * systemd reads units (and their drop-ins) from its directories, wherever a unit was linked from,
 * and makes units of SysV init scripts.
 */
const UNIT_FILE = /\/(systemd|init\.d|rc\.d)\/|\.(service|socket|target|timer|mount|automount|path|slice|swap)(\.d\/|\/|$)/;

/** Kinds read from some files only: those a written path can belong to. */
const READ_FROM: Record<string, (file: string) => boolean> = {
  service: (file) => UNIT_FILE.test(file),
  firewalld: (file) => file.includes('/firewalld/'),
};

const kindOf = (key: string): string => key.slice(0, key.indexOf(':'));

/** Whether `inner` is `outer` or lies below it. */
function within(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(outer === '/' ? '/' : `${outer}/`);
}

/** Whether writing `written` can change what was read of the file `read` (its cached probe result). */
function sameFileMaybe(written: string, read: string, cached: ExecResult): boolean {
  // A relative path's directory is not known here.
  if (!path.posix.isAbsolute(written) || !path.posix.isAbsolute(read)) return true;
  const [a, b] = [path.posix.normalize(written).replace(/(.)\/$/, '$1'), path.posix.normalize(read).replace(/(.)\/$/, '$1')];
  return within(a, b) || within(b, a) || path.posix.basename(a) === path.posix.basename(b) || cached.stdout.startsWith('symbolic link');
}

/** Whether a command that touches `scope` can change the state under `key`. */
export function reaches(scope: string, key: string, cached: ExecResult): boolean {
  if (scope === key) return true;
  if (scope.endsWith(':*')) return kindOf(key) === scope.slice(0, -2);
  if (kindOf(scope) !== 'file') return false;
  const written = scope.slice('file:'.length);
  const kind = kindOf(key);
  if (kind === 'file') return sameFileMaybe(written, key.slice('file:'.length), cached);
  if (READ_FROM_NO_FILE.has(kind)) return false;
  return READ_FROM[kind]?.(written) ?? true;
}

/**
 * Drops from the cache (by probeId) every result the commands can change; all of them when one of
 * the commands does not say what it touches.
 */
export function forgetTouched(cache: Map<string, ExecResult>, commands: readonly RemoteCommand[]): void {
  if (commands.some((c) => c.touches === undefined)) return cache.clear();
  const scopes = commands.flatMap((c) => c.touches ?? []);
  for (const [id, cached] of cache) {
    if (scopes.some((scope) => reaches(scope, keyOfProbeId(id), cached))) cache.delete(id);
  }
}
