/** What a file-editing module's plan says a run does to one file: the tables of *-ansible.test.ts compare it with Ansible's. */
import { fileKey, type RemoteFile } from '../../src/modules/remote-file.ts';
import type { ModuleDef, Plan } from '../../src/modules/types.ts';
import { ctxFor, regular, stateOf } from './lvs-helpers.ts';

export const EDITED = '/etc/t.conf';

const fileOf = (text: string | null): RemoteFile => (text === null ? { exists: false } : { ...regular(text), size: Buffer.byteLength(text) });

export function planEditOf(module: ModuleDef, args: object, before: string | null): Plan {
  return module.plan({ ...args, path: EDITED }, stateOf({ [fileKey(EDITED)]: fileOf(before) }), ctxFor('Debian'));
}

/** changed, failed, msg and the file after, as Ansible's result and the host would show them. */
export function editOutcome(module: ModuleDef, args: object, before: string | null) {
  const plan = planEditOf(module, args, before);
  switch (plan.kind) {
    case 'fail':
      return { changed: false, failed: true, msg: plan.message, after: before };
    case 'noop':
      return { changed: false, failed: false, msg: plan.result?.msg, after: before };
    case 'change': {
      const diff = plan.changes[0].diff;
      return { changed: true, failed: false, msg: plan.result?.msg, after: diff?.kind === 'file' ? diff.after : before };
    }
    default:
      throw new Error(`unexpected plan ${plan.kind}`);
  }
}
