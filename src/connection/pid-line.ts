/**
 * The head of a process's stderr, before what its command writes: the become wrapper's messages
 * (sudo's), the report lines of shell setup (the host lock's), then one line with the pid of the
 * shell that runs the command, by which the shell layer kills it on timeout (kill-on-timeout.ts).
 * The same for the connection's long-lived shell and for a command on a process of its own.
 */
import { marker } from '../shell/marker.ts';

/** Starts the line on stderr that gives a command's pid. */
export const PID_MARK = marker('pid');

/** Prints the pid of the shell that runs it; an exec after it keeps that pid. */
export const PRINT_PID = `printf '%s %s\\n' ${PID_MARK} "$$" >&2`;

const PID_LINE = new RegExp(`(^|\\n)${PID_MARK} (\\d+)\\n`);

/** Where the PID_MARK line is in stderr: its pid, its first index, and the index after it. */
function findPidLine(stderr: string): { pid: number; start: number; end: number } | undefined {
  const m = PID_LINE.exec(stderr);
  if (!m) return undefined;
  return { pid: Number(m[2]), start: m.index + m[1].length, end: m.index + m[0].length };
}

/** Takes the complete lines starting with `mark ` out of text; returns them (without it) and the rest. */
function takeSetupLines(text: string, mark: string): { lines: string[]; rest: string } {
  const lines: string[] = [];
  const rest = text.replace(new RegExp(`(^|\\n)${mark} ([^\\n]*)\\n`, 'g'), (_all, before: string, line: string) => {
    lines.push(line);
    return before;
  });
  return { lines, rest };
}

/** Report lines of setup text run ahead of the pid line (ShellSetup), and who reads them. */
export interface SetupReport {
  mark: string;
  onLine(line: string): void;
}

/** Reads a stderr up to its pid line; what comes after it is the command's. */
export class StderrHead {
  pid: number | undefined;
  /** What came before the pid line and is not setup report: the become wrapper's messages. */
  preamble = Buffer.alloc(0);
  #onPid: ((pid: number) => void) | undefined;
  readonly #report: SetupReport | undefined;

  constructor(report?: SetupReport) {
    this.#report = report;
  }

  /** Adds a chunk; gives the bytes after the pid line, once it has come (the whole chunk after that). */
  push(chunk: Buffer): Buffer | undefined {
    if (this.pid !== undefined) return chunk;
    // latin1 keeps one character per byte, so the line's indices are the bytes'.
    let bytes = Buffer.concat([this.preamble, chunk]);
    if (this.#report) {
      const { lines, rest } = takeSetupLines(bytes.toString('latin1'), this.#report.mark);
      lines.forEach((l) => this.#report!.onLine(Buffer.from(l, 'latin1').toString('utf8')));
      if (lines.length > 0) bytes = Buffer.from(rest, 'latin1');
    }
    const line = findPidLine(bytes.toString('latin1'));
    if (!line) {
      this.preamble = bytes;
      return undefined;
    }
    this.pid = line.pid;
    this.preamble = bytes.subarray(0, line.start);
    this.#onPid?.(line.pid);
    return bytes.subarray(line.end);
  }

  /** Calls `then` with the pid: now, or when the line comes. */
  whenPid(then: (pid: number) => void): void {
    if (this.pid !== undefined) then(this.pid);
    else this.#onPid = then;
  }

  /** Takes the preamble: it is reported once, with the first command that reads it. */
  takePreamble(): string {
    const text = this.preamble.toString('utf8');
    this.preamble = Buffer.alloc(0);
    return text;
  }
}
