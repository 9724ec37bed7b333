/**
 * Reading and writing whole files on a host. Every file lvsdr writes goes through
 * `writeFileCommand`: a temporary file in the same directory, synced, then renamed over the target,
 * so a failed write (full disk, dropped connection) never leaves a half-written file behind.
 */
import path from 'node:path';
import { sh, ShellText } from '../shell/quote.ts';
import { splitCommandLine } from './command-line.ts';
import { fileKey, type RemoteFile } from '../facts/file.ts';
import type { RemoteCommand } from './types.ts';

export { fileFact, fileKey, fileProbe, knownContent, parseFileProbe, type RemoteFile } from '../facts/file.ts';

export interface WriteOptions {
  /** Octal mode such as '0644'; by default an existing file keeps its mode, a new one gets 0644. */
  mode?: string;
  owner?: string;
  group?: string;
  /** Keep a copy of the old file as `<dest>.<timestamp>~` before replacing it. */
  backup?: boolean;
  /** A command that checks the new file, "$tmp", before it replaces the old one (validateCommand). */
  validate?: ShellText;
}

/** A file name may be 255 bytes long (NAME_MAX); the temporary name adds the suffix and a pid. */
const TEMP_NAME_ROOM = 255 - '..lvsdr-4194304'.length;

/** The name's leading characters that fit in the temporary name, never splitting a UTF-8 character. */
function tempNameBase(name: string): string {
  let base = '';
  for (const c of name) {
    if (Buffer.byteLength(base + c) > TEMP_NAME_ROOM) break;
    base += c;
  }
  return base;
}

/**
 * How the temporary file gets its mode. A file dd creates gets 0666 less the umask, so a
 * mode without execute or special bits needs no chmod (each process counts, issue 6); others are
 * created private and chmod-ed. Without a mode, a new file gets 0644 and an existing one keeps its own.
 */
function modeSteps(dest: string, mode: string | undefined): { umask: string; chmod?: ShellText } {
  if (mode === undefined) return { umask: '0133', chmod: sh`{ [ ! -e ${dest} ] || chmod --reference=${dest} "$tmp"; }` };
  const bits = /^0?[0-7]{3}$/.test(mode) ? parseInt(mode, 8) : undefined;
  if (bits !== undefined && (bits & 0o111) === 0) return { umask: (0o777 & ~bits).toString(8).padStart(4, '0') };
  return { umask: '0077', chmod: sh`chmod ${mode} "$tmp"` };
}

/**
 * Replaces `dest` atomically and durably with what `fill` puts in "$tmp": a temporary file in the
 * same directory, named by the shell's pid and created exclusively (dd's `excl`) so it cannot be
 * a link planted there, on disk before it is renamed over the target, and the directory
 * synced after. A failure removes it (and a leftover of a killed run fails the next attempt,
 * which removes that). Each process counts (issue 6): fill also syncs.
 */
function atomicWrite(dest: string, fill: ShellText, opts: WriteOptions): ShellText {
  const dir = path.posix.dirname(dest);
  const tmp = path.posix.join(dir, `.${tempNameBase(path.posix.basename(dest))}.lvsdr-`);
  const { umask, chmod } = modeSteps(dest, opts.mode);
  const mode = chmod ? sh` && ${chmod}` : new ShellText('');
  const owner = opts.owner || opts.group ? sh` && chown ${`${opts.owner ?? ''}${opts.group ? `:${opts.group}` : ''}`} "$tmp"` : new ShellText('');
  const backup = opts.backup ? sh` && { [ ! -e ${dest} ] || cp -p ${dest} ${dest}."$(date +%Y%m%d%H%M%S)"~; }` : new ShellText('');
  const validate = opts.validate ? sh` && ${opts.validate}` : new ShellText('');
  return sh`tmp=${tmp}$$ && { umask ${umask} && ${fill}${mode}${owner}${validate}${backup} && mv -f "$tmp" ${dest} && sync ${dir}; } || { rc=$?; rm -f "$tmp"; exit $rc; }`;
}

/** The file written; with a backup, its directory (the copy's name holds the time). */
const writeTouches = (dest: string, opts: WriteOptions): string[] => [fileKey(opts.backup ? path.posix.dirname(dest) : dest)];

/** Fills "$tmp" from standard input, and syncs it: one process where cat and sync would be two. */
const FILL_FROM_INPUT = sh`dd of="$tmp" bs=65536 conv=excl,fsync status=none`;

/** Writes `content` to `dest` (atomicWrite); the content travels on standard input. */
export function writeFileCommand(dest: string, content: string, opts: WriteOptions = {}): RemoteCommand {
  return { command: atomicWrite(dest, FILL_FROM_INPUT, opts), stdin: content, touches: writeTouches(dest, opts) };
}

/** Copies the host's file `src` to `dest` (atomicWrite), on the host itself: nothing crosses the connection. */
export function copyHostFileCommand(src: string, dest: string, opts: WriteOptions = {}): RemoteCommand {
  return { command: atomicWrite(dest, sh`dd if=${src} of="$tmp" bs=65536 conv=excl,fsync status=none`, opts), touches: writeTouches(dest, opts) };
}

/**
 * Writes what the program `save` prints (`iptables-save`) to `dest` (atomicWrite). The output is
 * captured first, so a failing save leaves the old file alone instead of an empty one (POSIX sh has
 * no pipefail), and written by dd, which reports a failed write (a full disk) that the save
 * programs themselves do not.
 */
export function saveOutputCommand(dest: string, save: string, opts: WriteOptions = {}): RemoteCommand {
  return { command: atomicWrite(dest, sh`out=$(${save}) && printf '%s\\n' "$out" | ${FILL_FROM_INPUT}`, opts), touches: writeTouches(dest, opts) };
}

/**
 * The mode a file that is written over keeps, as its probe read it: given to the write, it spares
 * the write reading it again (chmod --reference). A link's own mode is not its target's.
 */
export function keptMode(before: RemoteFile, mode: string | undefined): string | undefined {
  if (mode !== undefined || !before.exists || !before.type?.startsWith('regular')) return mode;
  return before.mode;
}

/**
 * Makes the directory a new file goes in, for a write that would fail without it. The test is the
 * shell's own: the directory is nearly always there, and mkdir would be a process on the host.
 */
export function parentDirCommand(dest: string): RemoteCommand {
  const dir = path.posix.dirname(dest);
  return { command: sh`[ -d ${dir} ] || mkdir -p ${dir}`, touches: [fileKey(dir)] };
}


/**
 * An Ansible `validate` command (`visudo -cf %s`) run on the new file before it replaces the old:
 * split into words as Ansible splits it (no shell: no pipes, no variables), `%s` in each word
 * the temporary file and `%%` a percent sign, every word quoted.
 */
export function validateCommand(validate: string): ShellText {
  const words = splitCommandLine(validate).map((word) =>
    word === ''
      ? "''"
      : word
          .split('%s')
          .map((part) => (part === '' ? '' : sh`${part.replace(/%%/g, '%')}`.text))
          .join('"$tmp"'),
  );
  return new ShellText(words.join(' '));
}
