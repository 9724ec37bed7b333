/**
 * Reads that one process answers for many probes at once (issue 6): on a host, every process a
 * probe starts costs 10–40 ms of CPU (systemctl the most), and a play probes several sysctls,
 * units and files. A shared probe's own command is its kind's command for its one argument, and
 * its parser reads the kind's per-argument result, so it runs the same way alone and in a batch
 * (src/core/executor/probe-batch.ts groups them).
 */
import type { ExecResult } from '../connection/types.ts';
import { normalizeSysctlName } from '../facts/parsers/sysctl-conf.ts';
import { marker } from '../shell/marker.ts';
import { sh, ShellText } from '../shell/quote.ts';
import { debPackages, rpmPackages } from './package-reads.ts';

export interface SharedReadKind {
  /** One command that reads every argument. */
  command(args: readonly string[]): ShellText;
  /** The combined command's result, as one result per argument. */
  split(result: ExecResult, args: readonly string[]): ExecResult[];
}

/**
 * Runtime sysctl values: `sysctl -e` prints `name = value` for each key that exists (tabs kept
 * inside the value) and nothing for one that does not. Per key: the value line, or nothing.
 */
const sysctl: SharedReadKind = {
  command: (names) => sh`sysctl -e ${[...names]}`,
  split(result, names) {
    const values = new Map<string, string>();
    let last: string | undefined;
    for (const line of result.stdout.split('\n')) {
      const m = /^(\S+) = (.*)$/.exec(line);
      if (m) values.set((last = normalizeSysctlName(m[1])), m[2]);
      else if (last !== undefined && line !== '') values.set(last, `${values.get(last)}\n${line}`);
    }
    // A key that answered succeeded, whatever became of the others; a missing one is absent
    // (`-e`) when sysctl exited 0, and shares its error otherwise.
    return names.map((name) => {
      const v = values.get(normalizeSysctlName(name));
      if (v !== undefined) return { code: 0, stdout: `${v}\n`, stderr: '' };
      return result.code === 0 ? { code: 0, stdout: '', stderr: '' } : { ...result, stdout: '' };
    });
  },
};

/** Every argument's result when the combined output is cut short: its error, or no answer at all. */
const unanswered = (result: ExecResult, args: readonly string[]): ExecResult[] =>
  args.map(() => ({ ...result, code: result.code === 0 ? null : result.code }));

const ACTIVE_MARK = marker('active');

/** `systemctl` names a unit given without a suffix `NAME.service`. */
export const unitFileName = (name: string): string => (/\.[a-z]+$/.test(name) ? name : `${name}.service`);

/**
 * Unit states: two lines per unit, its enablement (`not-found` when systemd knows no such unit)
 * and whether it is active (`offline` when systemd is not running). `systemctl is-enabled A B`
 * stops at the first unknown unit, so one `list-unit-files` answers for every unit file;
 * an instance (`name@x.service`) has no file of its own and is asked with `is-enabled`.
 * `is-active A B` prints one line per unit, unknown ones included.
 */
const units: SharedReadKind = {
  command(names) {
    const files = names.map(unitFileName).filter((n) => !n.includes('@'));
    const instances = names.map(unitFileName).filter((n) => n.includes('@'));
    return new ShellText(
      [
        ...(files.length > 0 ? [sh`systemctl list-unit-files --no-legend --no-pager ${files} 2>/dev/null`.text] : []),
        ...instances.map((n) => sh`printf '%s ' ${n}; systemctl is-enabled ${n} 2>/dev/null || echo`.text),
        sh`echo ${ACTIVE_MARK}; if [ -d /run/systemd/system ]; then systemctl is-active ${names.map(unitFileName)} 2>/dev/null; else echo offline; fi`.text,
      ].join('; '),
    );
  },
  split(result, names) {
    const at = result.stdout.indexOf(`${ACTIVE_MARK}\n`);
    if (at < 0) return unanswered(result, names);
    const enabled = new Map<string, string>();
    for (const line of result.stdout.slice(0, at).split('\n')) {
      const [unit, state] = line.trim().split(/\s+/);
      if (unit && state) enabled.set(unit, state);
    }
    const active = result.stdout.slice(at + ACTIVE_MARK.length + 1).split('\n');
    const offline = active[0].trim() === 'offline';
    return names.map((name, i) => ({
      code: 0,
      stdout: `${enabled.get(unitFileName(name)) ?? 'not-found'}\n${offline ? 'offline' : active[i]?.trim() || 'unknown'}\n`,
      stderr: '',
    }));
  },
};

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
const files: SharedReadKind = {
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

export const SHARED_READS = { sysctl, units, files, debPackages, rpmPackages } as const satisfies Record<string, SharedReadKind>;

export type SharedReadName = keyof typeof SHARED_READS;
