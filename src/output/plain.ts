/**
 * One line per event, in ansible-playbook's words, for CI logs and pipes: greppable by status
 * (`changed: [rs1]`) and by host, with -v commands and --diff diffs indented underneath.
 */
import type { EventListener, RunEvent } from '../core/events.ts';
import type { Style } from './style.ts';
import { banner, CHECK_MARK, detailLines, statusLine } from './result-lines.ts';
import { recapLines } from './recap.ts';

export interface PlainOptions {
  verbosity: number;
  diff: boolean;
  style: Style;
  /** Receives whole lines, each ending in a newline. */
  out: (text: string) => void;
}

export function playHeading(name: string, check: boolean): string {
  return check ? `PLAY [${name}] (check mode: nothing will be changed)` : `PLAY [${name}]`;
}

export function createPlainRenderer(options: PlainOptions): EventListener {
  const { style } = options;
  const write = (lines: string[]): void => {
    if (lines.length > 0) options.out(lines.join('\n') + '\n');
  };
  // Set by the play heading, for lines (like unreachable hosts) whose events carry no check flag.
  let check = false;

  return (event: RunEvent): void => {
    switch (event.type) {
      case 'play:start':
        check = event.check;
        write(['', style.bold(banner(playHeading(event.play, event.check)))]);
        return;
      case 'batch:start':
        write([style.bold(`BATCH [${event.index}/${event.count}] ${event.hosts.join(', ')}`)]);
        return;
      case 'task:start':
        if (options.verbosity >= 2) write([style.dim(`start: [${event.host}] ${event.task}`)]);
        return;
      case 'task:result':
        write([statusLine(event.result, style), ...detailLines(event.result, options)]);
        return;
      case 'task:retry':
        write([style.changed(`FAILED - RETRYING: [${event.host}] ${event.task} (${event.retriesLeft} retries left)`)]);
        return;
      case 'host:unreachable': {
        const [first, ...rest] = event.msg.split('\n');
        const mark = check ? CHECK_MARK : '';
        write([style.failed(`${mark}unreachable: [${event.host}] ${first}`), ...rest.map((line) => `    ${line}`)]);
        return;
      }
      case 'host:failed': {
        const [first, ...rest] = event.msg.split('\n');
        write([style.failed(`failed: [${event.host}] ${first}`), ...rest.map((line) => `    ${line}`)]);
        return;
      }
      case 'host:lock':
        write([
          event.state === 'waiting'
            ? style.changed(`waiting: [${event.host}] another run holds this host: ${event.holder}`)
            : style.changed(`${CHECK_MARK}note: [${event.host}] another run held this host while this check read it (${event.holder}): its changes may overtake this plan`),
        ]);
        return;
      case 'play:aborted':
        write([style.failed(`PLAY ABORTED [${event.play}]: ${event.reason}`)]);
        return;
      case 'recap':
        write(['', ...recapLines(event.stats, event.durationMs, { style, check: event.check })]);
        return;
      case 'rollout:step':
        write(['', style.bold(banner(`ROLLOUT ${event.step.toUpperCase()} [${event.hosts.join(', ')}]${event.detail ? ` ${event.detail}` : ''}`))]);
        return;
      case 'rollout:host-failed':
        write([style.failed(`left out: [${event.host}] ${event.step}: ${event.reason}`)]);
        return;
    }
  };
}
