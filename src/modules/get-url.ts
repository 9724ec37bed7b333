/**
 * get_url (ansible.builtin.get_url) for `file://` URLs: a file of the host copied to `dest` on the
 * same host, as Ansible's module does it (modules/get_url.py). For a file URL `force` only matters
 * with a `checksum` (no If-Modified-Since answer ever comes back): the source is read, and `dest`
 * replaced when its sha1 differs. With a checksum and without force, a `dest` that already has
 * that checksum is left alone ("file already exists"). Other schemes are refused at validation.
 */
import path from 'node:path';
import { ansibleBool, boolSchema, type AnsibleBool } from './ansible-args.ts';
import { attributeChanges, attributeSchema, normalMode, withOctalMode, type FileAttributes } from './file-attributes.ts';
import { DIGEST_ALGORITHMS, digestFact, digestKey, type DigestAlgorithm, type FileDigest } from './file-digest.ts';
import { copyHostFileCommand, fileFact, fileKey, keptMode, type RemoteFile } from './remote-file.ts';
import type { Change, ModuleDef, Plan, StateView } from './types.ts';

interface GetUrlArgs extends FileAttributes {
  url: string;
  dest: string;
  checksum?: string;
  force?: AnsibleBool;
  backup?: AnsibleBool;
}

/** The host path a `file://` URL names (`file:///p` or `file://localhost/p`), percent-decoded; undefined for any other URL. */
export function fileUrlPath(url: string): string | undefined {
  const m = /^file:\/\/(localhost)?(\/[^?#]*)$/i.exec(url);
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[2]);
  } catch {
    return undefined;
  }
}

/** `algorithm:hex`, as Ansible reads it: the hex stripped of non-word characters and lower-cased. */
export function parseChecksum(text: string): { algorithm: DigestAlgorithm; hex: string } | string {
  const at = text.indexOf(':');
  if (at < 0) return 'The checksum parameter has to be in format <algorithm>:<checksum>';
  const algorithm = text.slice(0, at);
  const value = text.slice(at + 1);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return `a checksum read from a URL (${value}) is not supported: give the checksum itself`;
  if (!(DIGEST_ALGORITHMS as readonly string[]).includes(algorithm)) return `checksum algorithm ${algorithm} is not supported (${DIGEST_ALGORITHMS.join(', ')})`;
  const hex = value.replace(/\W+/g, '').toLowerCase();
  if (!/^[0-9a-f]+$/.test(hex)) return 'The checksum format is invalid';
  return { algorithm: algorithm as DigestAlgorithm, hex };
}

/** Ansible's url_filename: the URL path's last part, or index.html. */
const urlFilename = (src: string): string => path.posix.basename(src) || 'index.html';

const digest = (state: StateView, algorithm: DigestAlgorithm, p: string): FileDigest => state.fact(digestFact(algorithm), p);
const hexOf = (d: FileDigest): string | null => (d.kind === 'file' ? d.hex : null);

export const getUrlModule: ModuleDef<GetUrlArgs> = {
  name: 'get_url',
  summary: "copy a file:// URL's file to dest on the host, as Ansible's get_url (other schemes refused)",
  schema: {
    type: 'object',
    properties: {
      url: { type: 'string', minLength: 1 },
      dest: { type: 'string', pattern: '^/[^\\0]*$' },
      checksum: { type: 'string' },
      force: boolSchema,
      backup: boolSchema,
      ...attributeSchema,
    },
    required: ['url', 'dest'],
    additionalProperties: false,
  },
  argProblems(args) {
    const problems: { path: string; message: string }[] = [];
    if (fileUrlPath(args.url) === undefined) {
      const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(args.url)?.[1];
      const why = scheme ? `the ${scheme} scheme is not supported: lvsdr's get_url copies file:// URLs only (file:///path or file://localhost/path)` : `unknown url type: '${args.url}' (a path needs file://, as in Ansible)`;
      problems.push({ path: '/url', message: why });
    }
    if (args.checksum !== undefined && args.checksum !== '') {
      const c = parseChecksum(args.checksum);
      if (typeof c === 'string') problems.push({ path: '/checksum', message: c });
    }
    return problems;
  },
  plan(written, state): Plan {
    const args = withOctalMode(written);
    const src = fileUrlPath(args.url)!;
    const c = args.checksum ? (parseChecksum(args.checksum) as { algorithm: DigestAlgorithm; hex: string }) : undefined;
    const attrs = { mode: args.mode, owner: args.owner, group: args.group };
    const destFile = state.fact(fileFact, args.dest);
    const destIsDir = destFile.exists && destFile.type === 'directory';
    const base = { dest: args.dest, url: args.url, elapsed: 0 };

    if (!destIsDir && destFile.exists && !ansibleBool(args.force) && c && hexOf(digest(state, c.algorithm, args.dest)) === c.hex) {
      const changes = attributeChanges(args.dest, destFile, attrs);
      const msg = changes.length > 0 ? 'file already exists but file attributes changed' : 'file already exists';
      const result = { ...base, checksum_dest: null, checksum_src: null, msg, state: 'file' };
      return changes.length > 0 ? { kind: 'change', changes, result } : { kind: 'noop', reason: `${args.dest} already has ${c.algorithm} ${c.hex}`, result };
    }

    const srcSha1 = digest(state, 'sha1', src);
    if (srcSha1.kind === 'absent') return { kind: 'fail', message: `Request failed: <urlopen error [Errno 2] No such file or directory: '${src}'>` };
    if (srcSha1.kind === 'other') return { kind: 'fail', message: `Request failed: <urlopen error [Errno 21] Is a directory: '${src}'>` };
    const final = destIsDir ? path.posix.join(args.dest, urlFilename(src)) : args.dest;
    const finalFile = state.fact(fileFact, final);
    const finalSha1 = digest(state, 'sha1', final);
    if (finalFile.exists && finalSha1.kind !== 'file') return { kind: 'fail', message: `Destination ${final} is not a regular file` };
    if (!finalFile.exists && !state.fact(fileFact, path.posix.dirname(final)).exists) return { kind: 'fail', message: `Destination ${path.posix.dirname(final)} does not exist` };
    // Ansible writes the file, then finds the checksum wrong and removes it; lvsdr fails before writing.
    if (c) {
      const got = hexOf(digest(state, c.algorithm, src));
      if (got !== c.hex) return { kind: 'fail', message: `The checksum for ${final} did not match ${c.hex}; it was ${got}.` };
    }

    const srcFile = state.fact(fileFact, src);
    const changes: Change[] = [];
    let after: RemoteFile = finalFile;
    if (hexOf(finalSha1) !== srcSha1.hex) {
      const mode = keptMode(finalFile, args.mode);
      after = {
        exists: true,
        type: srcFile.size === 0 ? 'regular empty file' : 'regular file',
        mode: mode ? normalMode(mode) : '644',
        owner: args.owner ?? (finalFile.exists ? finalFile.owner : 'root'),
        group: args.group ?? (finalFile.exists ? finalFile.group : 'root'),
        size: srcFile.size,
        ...(srcFile.content !== undefined ? { content: srcFile.content } : { sha256: srcFile.sha256 }),
      };
      changes.push({
        summary: `${final}: copied from ${src}`,
        commands: [copyHostFileCommand(src, final, { mode, owner: args.owner, group: args.group, backup: ansibleBool(args.backup) })],
        effects: { [fileKey(final)]: after, [digestKey('sha1', final)]: srcSha1, [digestKey('md5', final)]: digest(state, 'md5', src), ...(c ? { [digestKey(c.algorithm, final)]: { kind: 'file', hex: c.hex } } : {}) },
      });
    } else {
      changes.push(...attributeChanges(final, finalFile, attrs));
      after = { ...finalFile, ...(args.mode ? { mode: normalMode(args.mode) } : {}), ...(args.owner ? { owner: args.owner } : {}), ...(args.group ? { group: args.group } : {}) };
    }
    const result = {
      ...base,
      dest: final,
      checksum_src: srcSha1.hex,
      checksum_dest: hexOf(finalSha1),
      md5sum: hexOf(digest(state, 'md5', src)),
      msg: `OK (${srcFile.size} bytes)`,
      status_code: null,
      size: srcFile.size,
      state: 'file',
      mode: `0${after.mode}`,
      owner: after.owner,
      group: after.group,
    };
    if (changes.length === 0) return { kind: 'noop', reason: `${final} already has the content of ${src}`, result };
    return { kind: 'change', changes, result };
  },
};
