/**
 * A long-lived /bin/sh, started by a transport, running the commands sent on its standard input
 * one at a time (issue 6). A process of its own per command costs, over ssh, the host sshd's fork
 * of a session, a login shell and /bin/sh: about 30 ms of CPU on the bench's hosts, more than most
 * programs a probe runs (docs/BENCHMARKS.md, point 7). A command sent here costs one fork of a
 * small shell.
 *
 * Each command runs as `( eval 'COMMAND' )`: in a subshell, so `exit`, `cd` or `set` end or change
 * only it, and through eval, so a syntax error fails that command instead of the shell reading it.
 * Its input is a here-document (or /dev/null, as a process of its own would give it none); input a
 * here-document cannot carry exactly (no final newline, a NUL) is the caller's to send otherwise.
 * After it, a marker line with its exit status goes to stdout and one to stderr; the output up to
 * them is the command's. Output that a command's background process writes later would be read
 * as the next command's, as it would have held a process of its own open.
 *
 * On timeout the shell is killed with everything it runs: without job control they share its
 * process group (killGroupCommand). Then the connection starts another shell for the next command.
 */
import { quote } from '../shell/quote.ts';
import { uniqueMarker } from '../shell/marker.ts';
import { Deadline, timedOutStderr, type TimedResult } from './kill-on-timeout.ts';
import { PRINT_PID, StderrHead, type SetupReport } from './pid-line.ts';
import type { HostProcess } from './transport.ts';

/**
 * The shell's command. Login shells of every kind (sh, bash, zsh, fish, csh) read it alike, so
 * without become it is sent as it is: no /bin/sh -c in between, one exec fewer per connection.
 * The shell's first input line has it report its pid.
 */
export const SHELL_COMMAND = 'exec /bin/sh -s';

export interface ShellRunOptions {
  stdin?: string;
  timeoutMs?: number;
  /** Kills the process group of the shell's pid (from a process of its own). */
  killGroup(pid: number): void;
}

/** Whether a here-document carries this input exactly: it must end in a newline and hold no NUL. */
export function shellFeeds(stdin: string | undefined): boolean {
  return stdin === undefined || stdin === '' || (stdin.endsWith('\n') && !stdin.includes('\0'));
}

/** The text sent for one command, or undefined when a here-document cannot carry its input. */
export function commandFrame(command: string, stdin: string | undefined, marker: string, index: number): string | undefined {
  const end = `printf '\\n%s %s\\n' '${marker} end ${index}' "$?"; printf '\\n%s\\n' '${marker} end ${index} .' >&2`;
  // fd 9 is the host lock's (host-lock.ts): a command's background process must not keep it.
  const run = `( eval ${quote(command)} ) 9<&-`;
  if (!shellFeeds(stdin)) return undefined;
  if (stdin === undefined || stdin === '') return `${run} </dev/null; ${end}\n`;
  const delimiter = `${marker}-in-${index}`;
  if (stdin.split('\n').includes(delimiter)) return undefined;
  return `${run} <<'${delimiter}'; ${end}\n${stdin}${delimiter}\n`;
}

/**
 * Collects one stream up to a marker. Only the bytes around each new chunk are searched, so a
 * large output costs no more than reading it.
 */
export class StreamUntil {
  readonly #chunks: Buffer[] = [];
  #size = 0;
  #found = -1;
  /** The last bytes read, too few to hold the marker: it may begin there and end in a later chunk. */
  #tail = Buffer.alloc(0);
  readonly #end: Buffer;
  /** After the marker, the rest of its line (the exit status on stdout), once it is whole. */
  line: string | undefined;

  constructor(end: string) {
    this.#end = Buffer.from(end);
  }

  /** Adds a chunk; true once the marker and the rest of its line have arrived. */
  push(chunk: Buffer): boolean {
    if (this.line !== undefined) return true;
    this.#chunks.push(chunk);
    this.#size += chunk.length;
    if (this.#found < 0) {
      const window = Buffer.concat([this.#tail, chunk]);
      const at = window.indexOf(this.#end);
      if (at < 0) {
        this.#tail = window.subarray(Math.max(0, window.length - this.#end.length + 1));
        return false;
      }
      this.#found = this.#size - window.length + at;
    }
    const all = Buffer.concat(this.#chunks);
    const eol = all.indexOf(10, this.#found + this.#end.length);
    if (eol < 0) return false;
    this.line = all.subarray(this.#found + this.#end.length, eol).toString('latin1');
    return true;
  }

  /** What came before the marker (all of it, when the marker never came). */
  text(): string {
    const all = Buffer.concat(this.#chunks);
    return all.subarray(0, this.#found < 0 ? all.length : this.#found).toString('utf8');
  }
}

/**
 * Shell text run at the shell's top level before its pid line, so what it opens stays with the
 * shell (the host lock's descriptor). Its report lines start with `mark` and go to `onLine`.
 */
export interface ShellSetup extends SetupReport {
  text: string;
  /** How long the setup may take (waiting for a lock): a command sent behind it gets that much longer. */
  allowanceMs: number;
}

interface Pending {
  out: StreamUntil;
  err: StreamUntil;
  finish(): void;
}

export class HostShell {
  readonly #process: Promise<HostProcess>;
  readonly #marker = uniqueMarker();
  #count = 0;
  readonly #head: StderrHead;
  #pending: Pending | undefined;
  #exitCode: number | null = null;
  /** Set when the shell cannot take another command: it ended, or is being killed. */
  dead = false;
  busy = false;
  /** Settles when the shell has ended (or could not start). */
  readonly closed: Promise<void>;

  /** Who the shell runs as through become; undefined: the login user. */
  readonly becomeUser: string | undefined;

  /** Setup the shell runs at its top level first (host-lock.ts), and who reads its report lines. */
  readonly #setup: ShellSetup | undefined;

  /**
   * `started` is the shell's process: SHELL_COMMAND, wrapped by the connection for become;
   * `stdin` is the wrapper's, read before the shell starts.
   */
  constructor(started: Promise<HostProcess>, stdin: string | undefined, becomeUser: string | undefined, setup?: ShellSetup) {
    this.becomeUser = becomeUser;
    this.#setup = setup;
    this.#head = new StderrHead(setup);
    this.#process = started.then(
      (p) => {
        p.stdout.on('data', (chunk: Buffer) => this.#stdout(chunk));
        p.stderr.on('data', (chunk: Buffer) => this.#stderr(chunk));
        p.stdin.write(`${stdin ?? ''}${setup ? `${setup.text}\n` : ''}${PRINT_PID}\n`);
        return p;
      },
      (err: unknown) => {
        this.dead = true;
        throw err;
      },
    );
    this.closed = this.#process.then(
      (p) =>
        p.ended.then((code) => {
          this.#exitCode = code;
          this.dead = true;
          this.#pending?.finish();
        }),
      () => {},
    );
  }

  /** Runs one command; undefined when its input cannot go in a here-document. */
  run(command: string, options: ShellRunOptions): Promise<TimedResult> | undefined {
    const index = this.#count++;
    const frame = commandFrame(command, options.stdin, this.#marker, index);
    if (frame === undefined) return undefined;
    this.busy = true;
    return this.#process.then(
      (p) =>
        new Promise<TimedResult>((resolve) => {
          const out = new StreamUntil(`\n${this.#marker} end ${index} `);
          const err = new StreamUntil(`\n${this.#marker} end ${index} `);
          const finish = () => {
            deadline.clear();
            this.#pending = undefined;
            this.busy = false;
            const done = out.line !== undefined;
            let stderr = this.#head.takePreamble() + err.text();
            if (deadline.timedOut) stderr = timedOutStderr(stderr, options.timeoutMs ?? 0, deadline.timedOut);
            const code = deadline.timedOut ? null : done ? Number(out.line) : this.#exitCode;
            resolve({ code, stdout: out.text(), stderr, timedOut: deadline.timedOut !== undefined });
          };
          const waitsForSetup = this.#setup !== undefined && this.#head.pid === undefined;
          const limitMs = options.timeoutMs !== undefined && waitsForSetup ? options.timeoutMs + this.#setup!.allowanceMs : options.timeoutMs;
          const deadline = new Deadline(this.dead ? undefined : limitMs, {
            kill: () => {
              this.dead = true;
              this.#head.whenPid(options.killGroup);
            },
            abandon: () => p.close(),
            finish,
          });
          this.#pending = { out, err, finish };
          if (this.dead) return finish();
          p.stdin.write(frame);
        }),
    );
  }

  /** Ends the shell: it exits when its input ends. Not awaited: a lost connection never answers. */
  close(): void {
    this.dead = true;
    this.#process.then(
      (p) => p.stdin.end(),
      () => {},
    );
  }

  #stdout(chunk: Buffer): void {
    const p = this.#pending;
    if (p && p.out.push(chunk) && p.err.line !== undefined) p.finish();
  }

  #stderr(chunk: Buffer): void {
    const rest = this.#head.push(chunk);
    if (rest === undefined) return;
    const p = this.#pending;
    if (p && p.err.push(rest) && p.out.line !== undefined) p.finish();
  }
}
