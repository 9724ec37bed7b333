/**
 * fetch (ansible.builtin.fetch): a host's file copied to the controller, as Ansible's action does
 * it (plugins/action/fetch.py): to `dest/<inventory_hostname>/<src>`, or with `flat` to `dest`
 * itself (a `dest` ending in `/`: the file's name in it); written when its sha1 differs from the
 * controller's copy. A relative `dest` is the playbook's directory's. Ansible's fetch does not run
 * in check mode, so the task is skipped there.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ansibleBool, boolSchema, type AnsibleBool } from './ansible-args.ts';
import { slurpFact } from './slurp.ts';
import type { ModuleDef, Plan } from './types.ts';

interface FetchArgs {
  src: string;
  dest: string;
  flat?: AnsibleBool;
  fail_on_missing?: AnsibleBool;
  validate_checksum?: AnsibleBool;
}

const digest = (algorithm: string, data: Buffer): string => createHash(algorithm).update(data).digest('hex');

/** The controller's copy, or null when it has none (Ansible's checksum(): None for a missing file). */
function localFile(file: string): Buffer | null {
  return existsSync(file) && statSync(file).isFile() ? readFileSync(file) : null;
}

/** Where the file goes on the controller, or why it cannot. */
export function fetchDest(args: FetchArgs, hostname: string, playbookDir: string): { dest: string } | { problem: string } {
  const dest = path.isAbsolute(args.dest) ? args.dest : path.join(playbookDir, args.dest);
  if (ansibleBool(args.flat)) {
    if (!args.dest.endsWith('/') && existsSync(dest) && statSync(dest).isDirectory()) return { problem: 'dest is an existing directory, use a trailing slash if you want to fetch src into that directory' };
    return { dest: path.normalize(args.dest.endsWith('/') ? path.join(dest, path.posix.basename(args.src)) : dest) };
  }
  const under = path.join(dest, hostname);
  const file = path.normalize(`${under}/${args.src}`);
  if (!file.startsWith(`${under}/`)) return { problem: `Detected directory traversal, expected to be contained in '${under}' but got '${file}'` };
  return { dest: file };
}

export const fetchModule: ModuleDef<FetchArgs> = {
  name: 'fetch',
  summary: "copy a host's file to the controller (dest/<host>/<src>, or flat)",
  supportsCheckMode: false,
  schema: {
    type: 'object',
    properties: {
      src: { type: 'string', pattern: '^/[^\\0]*$' },
      dest: { type: 'string', minLength: 1 },
      flat: boolSchema,
      fail_on_missing: boolSchema,
      validate_checksum: boolSchema,
    },
    required: ['src', 'dest'],
    additionalProperties: false,
  },
  plan(args, state, ctx): Plan {
    const read = state.fact(slurpFact, args.src);
    const failOnMissing = ansibleBool(args.fail_on_missing) ?? true;
    if (!read.ok) {
      const msg = read.message.startsWith('file not found') ? 'the remote file does not exist, not transferring, ignored' : read.message.startsWith('source is a directory') ? 'remote file is a directory, fetch cannot work on directories' : read.message;
      if (failOnMissing) return { kind: 'fail', message: msg };
      return { kind: 'noop', reason: msg.endsWith('ignored') ? msg : `${msg}, not transferring, ignored`, result: { file: args.src, msg } };
    }
    const where = fetchDest(args, String(ctx.vars.inventory_hostname), ctx.playbookDir);
    if ('problem' in where) return { kind: 'fail', message: where.problem };
    const data = Buffer.from(read.base64, 'base64');
    const remote = digest('sha1', data);
    const local = localFile(where.dest);
    if (local !== null && digest('sha1', local) === remote) {
      return { kind: 'noop', reason: `${where.dest} already holds ${args.src}`, result: { md5sum: digest('md5', local), file: args.src, dest: where.dest, checksum: remote } };
    }
    return {
      kind: 'change',
      changes: [{ summary: `${args.src} → ${where.dest} on the controller`, commands: [], effects: {}, controllerFiles: [{ path: where.dest, base64: read.base64 }] }],
      result: { md5sum: digest('md5', data), dest: where.dest, remote_md5sum: null, checksum: remote, remote_checksum: remote },
    };
  },
};
