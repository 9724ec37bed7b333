/**
 * What a change can alter of what the host's probe cache holds (issue 6). After a change, a task
 * plans on facts read again; reading again only what the change's commands can reach spares a
 * first run about a third of its processes. Each command says what it touches (RemoteCommand's
 * `touches`): a fact's state key, `KIND:*` for every fact of a kind, or `file:PATH` for a file it
 * writes. What a written file can change each fact says itself (Fact.changedByWriting: a file's
 * other names, the units systemd reads from unit files, nothing for kernel state); a fact that
 * says nothing may be changed by any file. A command that does not say what it touches could alter
 * anything, and then everything is read again.
 */
import type { RemoteCommand } from '../../modules/types.ts';
import type { CachedRead } from './fact-reads.ts';
import { keyOfProbeId } from './probe-batch.ts';

const kindOf = (key: string): string => key.slice(0, key.indexOf(':'));

/** Whether a command that touches `scope` can change the fact under `key`, read as `read`. */
export function reaches(scope: string, key: string, read: CachedRead): boolean {
  if (scope === key) return true;
  if (scope.endsWith(':*')) return kindOf(key) === scope.slice(0, -2);
  if (kindOf(scope) !== 'file') return false;
  return read.changedByWriting?.(scope.slice('file:'.length)) ?? true;
}

/**
 * Drops from the cache (by probeId) every fact the commands can change; all of them when one of
 * the commands does not say what it touches.
 */
export function forgetTouched(cache: Map<string, CachedRead>, commands: readonly RemoteCommand[]): void {
  if (commands.some((c) => c.touches === undefined)) return cache.clear();
  const scopes = commands.flatMap((c) => c.touches ?? []);
  for (const [id, read] of cache) {
    if (scopes.some((scope) => reaches(scope, keyOfProbeId(id), read))) cache.delete(id);
  }
}
