/**
 * Live progress on a terminal with listr2: per play, one row per host showing the task it is on
 * and its counts so far. When a play ends its final rows stay on screen, followed by the lines
 * worth keeping in the scrollback (changes, failures, dry-run caveats; everything with -v); the run ends
 * with the recap. Events arrive synchronously while listr2 renders asynchronously, so each play's
 * rows are plain state that a listr2 task picks up whenever it starts.
 */
import { Writable } from 'node:stream';
import { DefaultRenderer, Listr, ListrLogger, ProcessOutput, Spinner, type ListrTaskWrapper } from 'listr2';
import { loopStatus, type EventListener, type HostStats, type RunEvent, type TaskResult } from '../core/events.ts';
import { stripColor, type Style } from './style.ts';
import { createPlainRenderer, playHeading } from './plain.ts';
import { recapLines } from './recap.ts';

export interface LiveOptions {
  verbosity: number;
  diff: boolean;
  style: Style;
  color: boolean;
  out: (text: string) => void;
  /** Where to say that live progress broke and plain lines follow. */
  err: (text: string) => void;
  /** Terminal size; rows longer than `columns` are cut rather than wrapped. */
  columns?: number;
  rows?: number;
}

export interface LiveRenderer {
  listener: EventListener;
  /** Resolves once every play's rows and the recap are on screen; a failed host does not reject it. */
  finish(): Promise<void>;
}

/** listr2's default renderer, without its own look at `process.stdout.isTTY`: we decided already. */
class TerminalRenderer extends DefaultRenderer {
  static override nonTTY = true;
}

/**
 * listr2's spinner, except that its timer does not keep the process alive: if a run ends without
 * finish() (an internal error on the way out), the CLI still exits instead of spinning forever.
 */
class BackgroundSpinner extends Spinner {
  override start(cb?: () => void, interval?: number): void {
    super.start(cb, interval);
    (this as unknown as { id?: NodeJS.Timeout }).id?.unref();
  }
}

type RowWrapper = ListrTaskWrapper<unknown, typeof TerminalRenderer, typeof TerminalRenderer>;

/** What one host's row shows, kept apart from listr2 so events can land before its task starts. */
class HostRow {
  readonly host: string;
  private readonly width: number;
  private readonly style: Style;
  private task: string | undefined;
  private readonly counts: HostStats = { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 };
  private started = false;
  /** The results of the running task so far (one per loop item). */
  private items: TaskResult[] = [];
  private failure: string | undefined;
  private ended = false;
  private wrapper: RowWrapper | undefined;
  private settle: ((error?: Error) => void) | undefined;

  constructor(host: string, width: number, style: Style) {
    this.host = host;
    this.width = width;
    this.style = style;
  }

  start(task: string): void {
    this.started = true;
    this.task = task;
    this.items = [];
    this.refresh();
  }

  /** The task is waiting to run again (`until`). */
  retrying(title: string): void {
    this.task = title;
    this.refresh();
  }

  record(result: TaskResult): void {
    this.started = true;
    // A task counts once, however many items it loops over, as in the recap.
    const sameTask = this.items.length > 0 && this.items[0].task === result.task && this.items[0].pos === result.pos && result.item !== undefined;
    if (!sameTask) this.items = [];
    if (this.items.length > 0) this.count(mergedItems(this.items), -1);
    this.items.push(result);
    this.count(mergedItems(this.items), 1);
    this.task = undefined;
    // A host that failed or dropped out runs no more tasks in this play: its row ends now.
    if ((result.status === 'failed' && !result.ignored && !result.rescued) || result.status === 'unreachable') {
      this.end(`${result.task}: ${(result.msg ?? result.status).split('\n')[0]}`);
    } else {
      this.refresh();
    }
  }

  /** Counted as ansible-playbook's recap counts: a change is also ok, and so is an ignored failure. */
  private count(result: Pick<TaskResult, 'status' | 'ignored' | 'rescued'>, by: 1 | -1): void {
    if (result.status === 'failed' && result.ignored) {
      this.counts.ignored += by;
      this.counts.ok += by;
    } else if (result.status === 'failed' && result.rescued) {
      this.counts.rescued += by;
    } else {
      this.counts[result.status] += by;
      if (result.status === 'changed') this.counts.ok += by;
    }
  }

  unreachable(msg: string): void {
    this.started = true;
    this.counts.unreachable++;
    this.end(`unreachable: ${msg.split('\n')[0]}`);
  }

  /** Failed before any task (its lock was held past --lock-timeout). */
  failedToStart(msg: string): void {
    this.started = true;
    this.counts.failed++;
    this.end(msg.split('\n')[0]);
  }

  /** Waiting for another run's lock on the host. */
  waitingForLock(): void {
    this.task = 'waiting for another run to release the host (see below)';
    this.refresh();
  }

  end(failure?: string): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = failure;
    this.task = undefined;
    this.finishTask();
  }

  /** The body of this row's listr2 task: it lasts until the host is done with the play. */
  run(wrapper: RowWrapper): Promise<void> {
    this.wrapper = wrapper;
    return new Promise((resolve, reject) => {
      this.settle = (error) => (error ? reject(error) : resolve());
      this.refresh();
      if (this.ended) this.finishTask();
    });
  }

  private finishTask(): void {
    if (!this.wrapper || !this.settle) return;
    this.refresh();
    if (!this.started) this.wrapper.skip(`${this.host.padEnd(this.width)}  not run`);
    this.settle(this.failure === undefined ? undefined : new Error(this.failure));
    this.settle = undefined;
  }

  private refresh(): void {
    if (this.wrapper) this.wrapper.title = this.title();
  }

  private title(): string {
    const { style } = this;
    const c = this.counts;
    const cells = [style.ok(`ok=${c.ok}`), style.changed(`changed=${c.changed}`)];
    if (c.failed) cells.push(style.failed(`failed=${c.failed}`));
    if (c.unreachable) cells.push(style.failed(`unreachable=${c.unreachable}`));
    if (c.skipped) cells.push(style.skipped(`skipped=${c.skipped}`));
    if (c.rescued) cells.push(style.ok(`rescued=${c.rescued}`));
    if (c.ignored) cells.push(style.ignored(`ignored=${c.ignored}`));
    const doing = this.ended ? '' : this.task ? `  ${this.task}` : this.started ? '' : '  waiting';
    return `${this.host.padEnd(this.width)}  ${cells.join(' ')}${style.dim(doing)}`;
  }
}

type PlayStart = Extract<RunEvent, { type: 'play:start' }>;

/** One play: its rows, and the events to print under them once listr2 is done with the play. */
class PlayView {
  readonly rows = new Map<string, HostRow>();
  readonly events: RunEvent[] = [];
  readonly start: PlayStart;
  readonly title: string;

  constructor(start: PlayStart, style: Style) {
    this.start = start;
    this.title = playHeading(start.play, start.check);
    const width = Math.max(0, ...start.hosts.map((h) => h.length));
    for (const host of start.hosts) this.rows.set(host, new HostRow(host, width, style));
  }

  apply(event: RunEvent): void {
    this.events.push(event);
    if (event.type === 'task:start') this.rows.get(event.host)?.start(event.task);
    else if (event.type === 'task:result') this.rows.get(event.result.host)?.record(event.result);
    else if (event.type === 'task:retry') this.rows.get(event.host)?.retrying(`${event.task} (retrying, ${event.retriesLeft} left)`);
    else if (event.type === 'host:unreachable') this.rows.get(event.host)?.unreachable(event.msg);
    else if (event.type === 'host:failed') this.rows.get(event.host)?.failedToStart(event.msg);
    else if (event.type === 'host:lock' && event.state === 'waiting') this.rows.get(event.host)?.waitingForLock();
  }

  close(): void {
    for (const row of this.rows.values()) row.end();
  }
}

/** A looping task's outcome from its items', as the recap counts it. */
function mergedItems(items: TaskResult[]): Pick<TaskResult, 'status' | 'ignored' | 'rescued'> {
  const failed = items.filter((i) => i.status === 'failed');
  return { status: loopStatus(items.map((i) => i.status)), ignored: failed.length > 0 && failed.every((i) => i.ignored), rescued: failed.some((i) => i.rescued) };
}

/** A writable that looks like a terminal of the given size and hands every write to `out`. */
function terminalStream(options: LiveOptions): NodeJS.WriteStream {
  const out = options.color ? options.out : (text: string) => options.out(stripColor(text));
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      out(String(chunk));
      callback();
    },
  });
  return Object.assign(stream, { isTTY: true, columns: options.columns ?? 80, rows: options.rows ?? 24 }) as unknown as NodeJS.WriteStream;
}

export function createListrRenderer(options: LiveOptions): LiveRenderer {
  const stream = terminalStream(options);
  let current: PlayView | undefined;
  let chain: Promise<void> = Promise.resolve();
  let check = false;
  // Plays after a listr2 failure are printed as plain lines: the run's output must not be lost.
  let broken = false;
  const plain = createPlainRenderer(options);
  /** Under the final rows of a play: what changed or failed, and check-mode caveats; with -v, everything. */
  const worthKeeping = (event: RunEvent): boolean =>
    options.verbosity >= 1 ||
    event.type === 'host:unreachable' ||
    event.type === 'host:failed' ||
    event.type === 'host:lock' ||
    event.type === 'play:aborted' ||
    (event.type === 'task:result' &&
      ((event.result.status !== 'ok' && event.result.status !== 'skipped') || event.result.note !== undefined));

  const drawRows = async (view: PlayView): Promise<void> => {
    const hostTasks = [...view.rows.values()].map((row) => ({ title: row.host, task: (_: unknown, t: RowWrapper) => row.run(t) }));
    const listr = new Listr(
      [{ title: options.style.bold(view.title), task: (_: unknown, t: RowWrapper) => t.newListr(hostTasks, { concurrent: true, exitOnError: false }) }],
      {
        renderer: TerminalRenderer,
        rendererOptions: {
          spinner: new BackgroundSpinner(),
          logger: new ListrLogger({ processOutput: new ProcessOutput(stream, stream, { dump: [], leaveEmptyLine: false }) }),
          collapseSubtasks: false,
          collapseErrors: false,
          formatOutput: 'truncate',
        },
        exitOnError: false,
        // Interrupts belong to the CLI, which ends the run and then calls finish().
        registerSignalListeners: false,
      },
    );
    options.out('\n');
    await listr.run();
  };

  const runPlay = async (view: PlayView): Promise<void> => {
    if (!broken) {
      try {
        await drawRows(view);
      } catch (error) {
        broken = true;
        options.err(`live progress failed (${(error as Error).message}); continuing with plain output\n`);
      }
    }
    if (broken) {
      [view.start, ...view.events].forEach(plain);
      return;
    }
    const kept = view.events.filter(worthKeeping);
    if (kept.length > 0) options.out('\n');
    kept.forEach(plain);
  };

  const closeCurrent = (): void => {
    current?.close();
    current = undefined;
  };

  const listener: EventListener = (event) => {
    switch (event.type) {
      case 'play:start': {
        closeCurrent();
        check ||= event.check;
        const view = new PlayView(event, options.style);
        current = view;
        chain = chain.then(() => runPlay(view));
        return;
      }
      case 'recap':
        closeCurrent();
        chain = chain.then(() => options.out(['', ...recapLines(event.stats, event.durationMs, { style: options.style, check: event.check })].join('\n') + '\n'));
        return;
      default:
        if (current) current.apply(event);
        else chain = chain.then(() => plain(event));
    }
  };

  return {
    listener,
    finish: async () => {
      closeCurrent();
      await chain;
    },
  };
}
