/** How `run` and `rollout` show their events: the renderer the flags ask for, subscribed to a new bus. */
import { EventBus } from '../core/events.ts';
import { colorEnabled, createRenderer, type Renderer } from '../output/renderer.ts';
import type { CliIo } from './command.ts';

/**
 * `live` allows listr2 rows on a terminal; a rollout is a sequence of runs with steps between them,
 * which read better as plain lines.
 */
export function eventsToRenderer(argv: Record<string, unknown>, io: CliIo, live: boolean): { events: EventBus; renderer: Renderer } {
  const renderer = createRenderer({
    mode: argv.json ? 'json' : live ? 'auto' : 'plain',
    verbosity: Number(argv.verbose ?? 0),
    diff: Boolean(argv.diff),
    color: colorEnabled(process.env, Boolean(io.isTTY)),
    out: io.stdout,
    err: io.stderr,
    isTTY: Boolean(io.isTTY),
    columns: process.stdout.columns,
    rows: process.stdout.rows,
  });
  const events = new EventBus();
  events.subscribe(renderer.listener);
  return { events, renderer };
}
