/**
 * unarchive (ansible.builtin.unarchive) for a tar archive already on the host (`remote_src`, or
 * the older `copy: no`): as Ansible's TgzArchive handler, `tar --diff` says whether the archive is
 * already unpacked in `dest` (only a missing file, a modification time, a mode or, as root, an
 * owner that differs counts), and `tar --extract` unpacks it when not. Ansible's module does not
 * run in check mode with GNU tar, so the task is skipped there.
 */
import type { ExecResult } from '../connection/types.ts';
import { sh, ShellText } from '../shell/quote.ts';
import { ansibleBool, boolSchema, type AnsibleBool } from './ansible-args.ts';
import { fileKey } from './remote-file.ts';
import { factEffect, type Fact } from '../facts/fact.ts';
import type { ModuleDef, Plan } from './types.ts';

interface UnarchiveArgs {
  src: string;
  dest: string;
  remote_src?: AnsibleBool;
  /** Deprecated inverse of remote_src, as Ansible still reads it. */
  copy?: AnsibleBool;
}

/** What tar says of the archive and dest, or why it cannot. */
export type TarState = { ok: true; handler: string; flag: string; unarchived: boolean } | { ok: false; message: string };

/** Ansible's handlers in its order, with the flag each gives tar; the first that can list the archive takes it. */
const HANDLERS: [string, string][] = [
  ['TgzArchive', '-z'],
  ['TarArchive', ''],
  ['TarBzipArchive', '-j'],
  ['TarXzArchive', '-J'],
];

/** The lines of `tar --diff` that make Ansible unpack again (TgzArchive.is_unarchived, run as root, no owner/group/mode given). */
const COUNTS = [/: Uid differs$/, /: Gid differs$/, /: Mode differs$/, /: Mod time differs$/, /: Warning: Cannot stat: No such file or directory$/];
const EMPTY_NAME = /: : Warning: Cannot stat: No such file or directory$/;

export function parseTarState(r: ExecResult, src: string, dest: string): TarState {
  const [first, ...rest] = r.stdout.split('\n');
  const problems: Record<string, string> = {
    'no-src': `Source '${src}' does not exist`,
    unreadable: `Source '${src}' not readable`,
    empty: `Invalid archive '${src}', the file is 0 bytes`,
    'no-dest': `Destination '${dest}' is not a directory`,
    'no-handler': `Failed to find handler for "${src}": lvsdr's unarchive takes tar archives (plain, gzip, bzip2, xz) that hold files`,
  };
  if (problems[first]) return { ok: false, message: problems[first] };
  const m = /^handler (\S+)$/.exec(first);
  if (r.code !== 0 || !m) throw new Error(`cannot read the archive's state: ${r.stderr.trim() || r.stdout.trim()}`);
  const differs = rest.some((line) => !EMPTY_NAME.test(line) && COUNTS.some((re) => re.test(line)));
  const [handler, flag] = HANDLERS.find(([name]) => name === m[1])!;
  return { ok: true, handler, flag, unarchived: !differs };
}

/** An archive on the host and the directory it would be unpacked in. */
interface Unpacking {
  src: string;
  dest: string;
}

export const tarStateFact: Fact<Unpacking, TarState> = {
  kind: 'unarchive',
  id: ({ src, dest }) => `${src}:${dest}`,
  read: {
    command: ({ src, dest }) => {
      const tries = HANDLERS.map(([name, flag]) => sh`{ tar ${flag ? [flag] : []} -tf ${src} 2>/dev/null | grep -q . && echo ${`handler ${name}`} && f=${flag}; }`.text).join(' || ');
      return sh`if [ ! -e ${src} ]; then echo no-src; elif [ ! -r ${src} ]; then echo unreadable; elif [ ! -s ${src} ]; then echo empty; elif [ ! -d ${dest} ]; then echo no-dest; elif ${new ShellText(tries)}; then LC_ALL=C tar --diff -C ${dest} $f -f ${src} 2>&1; true; else echo no-handler; fi`;
    },
  },
  parse: (r, { src, dest }) => parseTarState(r, src, dest),
  unread: { ok: false, message: 'not read yet' },
};

const remote = (a: UnarchiveArgs): boolean => ansibleBool(a.remote_src) ?? (a.copy !== undefined ? !ansibleBool(a.copy) : false);

export const unarchiveModule: ModuleDef<UnarchiveArgs> = {
  name: 'unarchive',
  summary: 'unpack a tar archive that is on the host into a directory, unless it already is',
  supportsCheckMode: false,
  schema: {
    type: 'object',
    properties: {
      src: { type: 'string', pattern: '^/[^\\0]*$' },
      dest: { type: 'string', pattern: '^/[^\\0]*$' },
      remote_src: boolSchema,
      copy: boolSchema,
    },
    required: ['src', 'dest'],
    additionalProperties: false,
  },
  argProblems(a) {
    if (a.copy !== undefined && a.remote_src !== undefined) return [{ path: '/copy', message: "parameters are mutually exclusive: ('copy', 'remote_src')" }];
    if (!remote(a)) return [{ path: a.copy !== undefined ? '/copy' : '/remote_src', message: "lvsdr's unarchive takes an archive already on the host: set remote_src: true (copying one from the controller is not supported)" }];
    return [];
  },
  plan(a, state): Plan {
    const tar = state.fact(tarStateFact, { src: a.src, dest: a.dest });
    if (!tar.ok) return { kind: 'fail', message: tar.message };
    const result = { handler: tar.handler, dest: a.dest, src: a.src };
    if (tar.unarchived) return { kind: 'noop', reason: `${a.src} is unpacked in ${a.dest}`, result };
    return {
      kind: 'change',
      changes: [
        {
          summary: `unpack ${a.src} into ${a.dest}`,
          commands: [{ command: sh`tar --extract -C ${a.dest} ${tar.flag ? [tar.flag] : []} -f ${a.src}`, touches: [fileKey(a.dest)] }],
          effects: factEffect(tarStateFact, { src: a.src, dest: a.dest }, { ...tar, unarchived: true }),
        },
      ],
      result,
    };
  },
};
