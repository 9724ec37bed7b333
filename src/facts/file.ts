/**
 * A file or directory on the host (`file:PATH`): its kind, mode, owner and, up to MAX_INLINE_BYTES,
 * its content (larger files by checksum). Files share their processes: two finds for any number.
 */
import path from 'node:path';
import type { ExecResult } from '../connection/types.ts';
import { marker } from '../shell/marker.ts';
import { sh } from '../shell/quote.ts';
import { factKey, factProbe, unanswered, type BatchedRead, type Fact, type Probe } from './fact.ts';

export interface RemoteFile {
  exists: boolean;
  /** 'regular file', 'directory', 'symbolic link', … as stat(1) names them. */
  type?: string;
  /** Octal permission bits, e.g. '644'. */
  mode?: string;
  owner?: string;
  group?: string;
  size?: number;
  /** The text, unless the file is larger than MAX_INLINE_BYTES. */
  content?: string;
  sha256?: string;
}

/** One file's part of the files read. */
export function parseFileProbe(r: ExecResult): RemoteFile {
  if (r.code !== 0) throw new Error(`cannot read file state: ${r.stderr.trim() || `exit ${r.code}`}`);
  if (r.stdout.startsWith('absent')) return { exists: false };
  const firstNewline = r.stdout.indexOf('\n');
  const [type, mode, owner, group, size] = r.stdout.slice(0, firstNewline).split('|');
  const file: RemoteFile = { exists: true, type, mode, owner, group, size: Number(size) };
  const rest = r.stdout.slice(firstNewline + 1);
  if (rest.startsWith('inline\n')) file.content = rest.slice('inline\n'.length);
  else if (rest.startsWith('sha256\n')) file.sha256 = rest.slice('sha256\n'.length).split(' ')[0];
  return file;
}

/** Files larger than this are compared by checksum only (their text is not fetched for diffs). */
export const MAX_INLINE_BYTES = 256 * 1024;

const CONTENT_MARK = marker('content');
/** find's %y letters, named as stat(1) names them. */
const FILE_TYPES: Record<string, string> = {
  f: 'regular file',
  d: 'directory',
  l: 'symbolic link',
  p: 'fifo',
  s: 'socket',
  c: 'character special file',
  b: 'block special file',
};

/** find reads a leading `-`, `!` or `(` as part of an expression. */
const findPath = (p: string): string => (p.startsWith('/') ? p : `./${p}`);

/**
 * Whole files: kind, mode, owner and (up to MAX_INLINE_BYTES) content, two finds for any number of
 * files. The first describes each path itself (a symbolic link as a link). The second follows
 * links (-H) and prints a record per regular file, `i SIZE|NAME` for a small one and `l NAME` for
 * a large one; its `-exec … +` run after the last record, in the order written: cat prints the
 * small files back to back, then sha256sum sums the large ones. Records end in NUL, so any name
 * splits cleanly. Per file, as parseFileProbe reads it: `absent`, or `TYPE|MODE|OWNER|GROUP|SIZE`,
 * then `inline` and the content, or `sha256` and the sum.
 */
const filesRead: BatchedRead = {
  command(paths) {
    const args = paths.map(findPath);
    return sh`find ${args} -maxdepth 0 -printf '%y|%m|%u|%g|%s|%p\\0' 2>/dev/null; echo; echo ${CONTENT_MARK}; find -H ${args} -maxdepth 0 -type f \\( -size -${MAX_INLINE_BYTES + 1}c -printf 'i%s|%p\\0' -exec cat -- {} + -o -printf 'l|%p\\0' -exec sha256sum -- {} + \\) 2>/dev/null; true`;
  },
  split(result, paths) {
    const contentAt = result.stdout.indexOf(`\n${CONTENT_MARK}\n`);
    if (result.code !== 0 || contentAt < 0) return unanswered(result, paths);
    const names = paths.map(findPath);
    const out = new Map<string, string>();
    for (const [type, mode, owner, group, size, name] of records(result.stdout.slice(0, contentAt), 6, names).records) {
      const kind = type === 'f' && size === '0' ? 'regular empty file' : (FILE_TYPES[type] ?? type);
      out.set(name, `${kind}|${mode}|${owner}|${group}|${size}\n`);
    }
    const { records: regular, rest } = records(result.stdout.slice(contentAt + CONTENT_MARK.length + 2), 2, names);
    const small = regular.filter(([tag]) => tag.startsWith('i'));
    const large = regular.filter(([tag]) => tag === 'l');
    const sizes = small.map(([tag]) => Number(tag.slice(1)));
    const bodies = splitBySize(rest, sizes, large.length === 0);
    small.forEach(([, name], i) => out.set(name, `${out.get(name) ?? ''}${bodies ? `inline\n${bodies.parts[i]}` : ''}`));
    const sums = [...(bodies?.rest ?? rest).matchAll(/^\\?([0-9a-f]{64}) /gm)].map((m) => m[1]);
    large.forEach(([, name], i) => out.set(name, `${out.get(name) ?? ''}sha256\n${sums[i] ?? ''}  -\n`));
    return names.map((name) => ({ code: 0, stdout: out.get(name) ?? 'absent\n', stderr: '' }));
  },
};

/**
 * The NUL-ended records at the start of `text`, each split at its first `fields - 1` bars, whose
 * last field names one of `names` in order (find keeps the order it was given), and what follows.
 */
function records(text: string, fields: number, names: readonly string[]): { records: string[][]; rest: string } {
  const out: string[][] = [];
  let at = 0;
  let next = 0;
  for (;;) {
    const end = text.indexOf('\0', at);
    const parts = end < 0 ? [] : text.slice(at, end).split('|');
    const name = parts.slice(fields - 1).join('|');
    const found = parts.length >= fields ? names.indexOf(name, next) : -1;
    if (found < 0) return { records: out, rest: text.slice(at) };
    out.push([...parts.slice(0, fields - 1), name]);
    next = found + 1;
    at = end + 1;
  }
}

/**
 * Contents printed back to back, cut by their sizes in bytes, and what follows them. Text that was
 * not valid UTF-8 has changed length in decoding; then no file's content is known (they compare as
 * different, as such text always has), rather than one file's bytes being taken for another's.
 * With nothing after them (`whole`), a lone file's content is simply all the text.
 */
function splitBySize(text: string, sizes: readonly number[], whole: boolean): { parts: string[]; rest: string } | undefined {
  if (whole && sizes.length === 1) return { parts: [text], rest: '' };
  const bytes = Buffer.from(text);
  const total = sizes.reduce((n, s) => n + s, 0);
  if (whole ? bytes.length !== total : bytes.length < total) return undefined;
  let at = 0;
  const parts = sizes.map((size) => bytes.subarray(at, (at += size)).toString());
  return { parts, rest: bytes.subarray(at).toString() };
}

/** Whether `inner` is `outer` or lies below it. */
function within(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(outer === '/' ? '/' : `${outer}/`);
}

/**
 * Writing a file can change what was read of another path: links give one file several names. So
 * a written file reaches, besides itself, the files above and below it, any file of the same name
 * (a linked directory: /lib and /usr/lib), and any file read as a link.
 */
function sameFileMaybe(read: string) {
  return (written: string, value: RemoteFile): boolean => {
    // A relative path's directory is not known here.
    if (!path.posix.isAbsolute(written) || !path.posix.isAbsolute(read)) return true;
    const [a, b] = [path.posix.normalize(written).replace(/(.)\/$/, '$1'), path.posix.normalize(read).replace(/(.)\/$/, '$1')];
    return within(a, b) || within(b, a) || path.posix.basename(a) === path.posix.basename(b) || value.type === 'symbolic link';
  };
}

export const fileFact: Fact<string, RemoteFile> = {
  kind: 'file',
  id: (p) => p,
  read: { batch: filesRead, arg: (p) => p },
  parse: parseFileProbe,
  unread: { exists: false },
  changedByWriting: sameFileMaybe,
};

export const fileKey = (p: string): string => factKey(fileFact, p);

/** Reads a file's kind, mode, owner and (when small) content. */
export const fileProbe = (p: string): Probe<RemoteFile> => factProbe(fileFact, p);

/** A file's content as the probe saw it, or null when it is absent or too large to have been read. */
export function knownContent(f: RemoteFile): string | null {
  return f.exists && f.content !== undefined ? f.content : null;
}
