/**
 * `--json`: one JSON object per event and line, each with a `type` (the event's name), for jq and
 * other programs. Never colored. Task results are copied field by field rather than spread, so a
 * field added to TaskResult later does not reach the output unreviewed.
 */
import type { EventListener, RunEvent, TaskResult } from '../core/events.ts';
import { totalStats } from './recap.ts';

export interface JsonOptions {
  /** File and value diffs are included only with --diff, as in the other renderers. */
  diff: boolean;
  /** Receives one JSON document per line, each ending in a newline. */
  out: (text: string) => void;
}

function resultRecord(result: TaskResult, diff: boolean): Record<string, unknown> {
  return {
    type: 'task:result',
    host: result.host,
    delegatedTo: result.delegatedTo,
    task: result.task,
    module: result.module,
    status: result.status,
    check: result.check,
    pos: result.pos,
    reason: result.reason,
    msg: result.msg,
    item: result.item,
    ignored: result.ignored,
    rescued: result.rescued,
    included: result.included,
    note: result.note,
    changes: result.changes.map((c) => ({
      summary: c.summary,
      commands: c.commands,
      diff: (result.diff ?? diff) ? c.diff : undefined,
    })),
    rc: result.rc,
    stdout: result.stdout,
    stderr: result.stderr,
    durationMs: result.durationMs,
  };
}

/** One event as its JSON line holds it (the run record's lines are these too, with diffs). */
export function eventRecord(event: RunEvent, diff: boolean): object {
  switch (event.type) {
    case 'task:result':
      return resultRecord(event.result, diff);
    case 'recap':
      return { type: 'recap', check: event.check, durationMs: event.durationMs, stats: event.stats, total: totalStats(event.stats) };
    default:
      return event;
  }
}

export function createJsonRenderer(options: JsonOptions): EventListener {
  return (event: RunEvent): void => options.out(JSON.stringify(eventRecord(event, options.diff)) + '\n');
}
