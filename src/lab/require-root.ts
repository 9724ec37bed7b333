import { UserError } from '../core/errors.ts';

/** The lab makes network namespaces, bridges and mounts: only root can. */
export function requireRoot(): void {
  if (process.getuid?.() !== 0) {
    throw new UserError({
      message: 'the lab needs root: it makes network namespaces, bridges and mounts',
      hint: 'run it as root (sudo), e.g. on a disposable VM or in CI',
    });
  }
}
