/**
 * slurp (ansible.builtin.slurp): a file of the host, returned base64-encoded as `content`, with
 * `source` and `encoding`, and Ansible's messages for a file that is missing, unreadable or a
 * directory. A read changes nothing, so check mode runs it too; like Ansible's it reads the host
 * as it is (not as earlier tasks of a check run would leave it).
 */
import type { ExecResult } from '../connection/types.ts';
import { sh } from '../shell/quote.ts';
import { aliasProblems, withoutAliases } from './ansible-args.ts';
import type { Fact } from '../facts/fact.ts';
import type { ModuleDef, Plan } from './types.ts';

interface SlurpArgs {
  src: string;
  /** Alias of src. */
  path?: string;
}

export type Slurped = { ok: true; base64: string } | { ok: false; message: string };

const ALIASES = { path: 'src' };
const PATH = { type: 'string', pattern: '^/[^\\0]*$' };

/** The failures open() gives Ansible's slurp, as its messages name them. */
const PROBLEMS: Record<string, string> = { missing: 'file not found', unreadable: 'file is not readable', directory: 'source is a directory and must be a file' };

export function parseSlurp(r: ExecResult, src: string): Slurped {
  const [status, ...rest] = r.stdout.split('\n');
  if (status === 'ok' && r.code === 0) return { ok: true, base64: rest.join('').trim() };
  if (PROBLEMS[status]) return { ok: false, message: `${PROBLEMS[status]}: ${src}` };
  return { ok: false, message: `unable to slurp file: ${r.stderr.trim() || `exit ${r.code}`}` };
}

/** A host's file, base64-encoded (slurp, fetch). */
export const slurpFact: Fact<string, Slurped> = {
  kind: 'slurp',
  id: (src) => src,
  // -r tests the access the shell's user has, as open() does (root reads any file).
  read: { command: (src) => sh`if [ -d ${src} ]; then echo directory; elif [ ! -e ${src} ]; then echo missing; elif [ ! -r ${src} ]; then echo unreadable; else echo ok; base64 -w 0 -- ${src}; fi` },
  parse: (r, src) => parseSlurp(r, src),
  unread: { ok: false, message: 'not read yet' },
};

export const slurpModule: ModuleDef<SlurpArgs> = {
  name: 'slurp',
  summary: "a host's file, returned base64-encoded in the result's content (changes nothing)",
  schema: {
    type: 'object',
    properties: { src: PATH, path: PATH },
    oneOf: [{ required: ['src'] }, { required: ['path'] }],
    additionalProperties: false,
  },
  argProblems: (args) => aliasProblems(args, ALIASES),
  plan(written, state): Plan {
    const { src } = withoutAliases(written, ALIASES);
    const read = state.fact(slurpFact, src);
    if (!read.ok) return { kind: 'fail', message: read.message };
    return { kind: 'noop', reason: `read ${src} (${Buffer.from(read.base64, 'base64').length} bytes)`, result: { content: read.base64, source: src, encoding: 'base64' } };
  },
};
