/**
 * Picks how a run is shown: live listr2 rows on a terminal, plain lines in logs and pipes, JSON
 * lines for programs. Every renderer only listens to run events; none of them decides anything.
 */
import type { EventListener } from '../core/events.ts';
import { makeStyle } from './style.ts';
import { createPlainRenderer } from './plain.ts';
import { createJsonRenderer } from './json.ts';
import { createListrRenderer } from './listr.ts';

export { colorEnabled } from './style.ts';

export type OutputMode = 'auto' | 'tty' | 'plain' | 'json';

export interface RendererOptions {
  /** `auto`: live rows when `isTTY`, plain lines otherwise; `tty` forces live rows. */
  mode: OutputMode;
  /** -v count: 1 lists each change's remote commands and command output; 2 adds task starts. */
  verbosity: number;
  /** --diff: unified diffs of files, `before → after` of settings. */
  diff: boolean;
  /** See colorEnabled(); JSON output ignores it and is never colored. */
  color: boolean;
  out: (text: string) => void;
  err: (text: string) => void;
  isTTY: boolean;
  /** Terminal size for the live rows (process.stdout.columns / rows). */
  columns?: number;
  rows?: number;
}

export interface Renderer {
  listener: EventListener;
  /** Resolves once everything is printed (the live renderer draws asynchronously); never rejects. */
  finish(): Promise<void>;
}

export function createRenderer(options: RendererOptions): Renderer {
  if (options.mode === 'json') {
    return { listener: createJsonRenderer(options), finish: async () => {} };
  }
  const style = makeStyle(options.color);
  if (options.mode === 'tty' || (options.mode === 'auto' && options.isTTY)) {
    return createListrRenderer({ ...options, style });
  }
  return { listener: createPlainRenderer({ ...options, style }), finish: async () => {} };
}
