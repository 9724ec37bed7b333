/**
 * A controller-side file named by a task's `src` (template: under templates/, copy: under files/;
 * include_vars' file: under vars/),
 * found as Ansible's DataLoader.path_dwim_relative_stack finds it (ansible-core 2.14): in each
 * directory of the task's search path (its role's, the roles depending on it, then the directory of
 * the task's own file), first under `templates/` or `files/` there, then beside it; last, the same
 * two places in the playbook's directory. An absolute `src` is taken as it is.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ModuleContext } from './types.ts';

export type ControllerFile = { found: true; file: string } | { found: false; searched: string[] };

export function findControllerFile(ctx: Pick<ModuleContext, 'searchDirs' | 'playbookDir'>, subdir: 'templates' | 'files' | 'vars', src: string): ControllerFile {
  if (path.isAbsolute(src)) return existsSync(src) ? { found: true, file: src } : { found: false, searched: [src] };
  // Ansible does not add templates/ again to a src that already starts with it.
  const under = src.split('/')[0] !== subdir;
  const searched = [...ctx.searchDirs, ctx.playbookDir].flatMap((dir) => [...(under ? [path.join(dir, subdir, src)] : []), path.join(dir, src)]);
  const file = searched.find((f) => existsSync(f));
  return file ? { found: true, file: path.resolve(file) } : { found: false, searched };
}

/** The failure message for a src found nowhere. */
export function notFoundMessage(what: string, src: string, searched: string[]): string {
  return `cannot find ${what} ${JSON.stringify(src)}: looked for ${searched.join(', ')}`;
}
