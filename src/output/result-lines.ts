/**
 * How one task result reads as text: a status line in ansible-playbook's words and the details
 * under it (-v commands and output, --diff diffs). Shared by the plain renderer and the summary
 * the live renderer prints after each play.
 */
import type { ChangeDiff } from '../core/events.ts';
import type { TaskResult } from '../core/events.ts';
import type { Paint, Style } from './style.ts';
import { unifiedDiff } from './unified-diff.ts';

export interface DetailOptions {
  verbosity: number;
  diff: boolean;
  style: Style;
}

const INDENT = '    ';

/** A dry run says so on every line, so a log excerpt can never be mistaken for a real run. */
export const CHECK_MARK = '(check) ';

export function paintFor(result: Pick<TaskResult, 'status' | 'ignored'>, style: Style): Paint {
  switch (result.status) {
    case 'ok':
      return style.ok;
    case 'changed':
      return style.changed;
    case 'skipped':
      return style.skipped;
    case 'failed':
      return result.ignored ? style.ignored : style.failed;
    case 'unreachable':
      return style.failed;
  }
}

function statusWord(result: TaskResult): string {
  switch (result.status) {
    case 'changed':
      return result.check ? 'would change' : 'changed';
    case 'skipped':
      return 'skipping';
    default:
      return result.status;
  }
}

export function formatItem(item: unknown): string {
  return typeof item === 'string' ? item : JSON.stringify(item);
}

function firstLine(text: string): string {
  const nl = text.indexOf('\n');
  return nl === -1 ? text : text.slice(0, nl);
}

/** `changed: [rs1] Set arp_ignore -> net.ipv4.conf.all.arp_ignore 0 → 1`, and so on. */
export function statusLine(result: TaskResult, style: Style): string {
  const item = result.item === undefined ? '' : ` (item=${formatItem(result.item)})`;
  let tail = '';
  if (result.status === 'changed' && result.changes.length > 0) {
    tail = ` -> ${result.changes.map((c) => c.summary).join('; ')}`;
  } else if ((result.status === 'ok' || result.status === 'skipped') && result.reason) {
    tail = ` (${result.reason})`;
  } else if (result.status === 'failed' || result.status === 'unreachable') {
    if (result.msg) tail = `: ${firstLine(result.msg)}`;
    if (result.ignored) tail += ' (ignored)';
    if (result.rescued) tail += ' (rescued)';
  }
  const mark = result.check ? CHECK_MARK : '';
  if (result.included !== undefined) return paintFor(result, style)(`${mark}included: ${result.included} for ${result.host}${item}`);
  const where = result.delegatedTo === undefined ? result.host : `${result.host} -> ${result.delegatedTo}`;
  return paintFor(result, style)(`${mark}${statusWord(result)}: [${where}] ${result.task}${item}${tail}`);
}

function indented(prefix: string, text: string): string[] {
  return text.replace(/\n$/, '').split('\n').map((line) => `${INDENT}${prefix}${line}`);
}

function showValue(value: string | null): string {
  return value === null ? '(absent)' : value;
}

export function changeDiffLines(diff: ChangeDiff, style: Style): string[] {
  if (diff.kind === 'value') return [`${INDENT}${diff.name}: ${showValue(diff.before)} → ${showValue(diff.after)}`];
  const lines = unifiedDiff(diff.before ?? '', diff.after ?? '', {
    fromLabel: diff.before === null ? '/dev/null' : `${diff.path} (before)`,
    toLabel: diff.after === null ? '/dev/null' : `${diff.path} (after)`,
  });
  return lines.map((line) => {
    if (line.startsWith('@@')) return style.skipped(line);
    if (line.startsWith('+')) return style.ok(line);
    if (line.startsWith('-')) return style.failed(line);
    return line;
  });
}

/** Under the status line: the rest of a failure message, a check-mode note, -v and --diff details. */
export function detailLines(result: TaskResult, options: DetailOptions): string[] {
  const lines: string[] = [];
  if (result.msg && result.msg.includes('\n') && (result.status === 'failed' || result.status === 'unreachable')) {
    lines.push(...indented('', result.msg.slice(result.msg.indexOf('\n') + 1)));
  }
  // A dry run's caveat is part of its answer, so it shows at every verbosity.
  if (result.note) lines.push(...indented('note: ', result.note));
  if (options.verbosity >= 1) {
    for (const change of result.changes) {
      for (const command of change.commands) {
        // A command with a quoted newline continues under its first line, not as a new command.
        const [first, ...rest] = command.split('\n');
        lines.push(`${INDENT}$ ${first}`, ...rest.map((line) => `${INDENT}  ${line}`));
      }
    }
    if (result.rc !== undefined) lines.push(`${INDENT}rc=${result.rc ?? 'none'}`);
    if (result.stdout) lines.push(...indented('stdout> ', result.stdout));
    if (result.stderr) lines.push(...indented('stderr> ', result.stderr));
  }
  if (result.diff ?? options.diff) {
    for (const change of result.changes) {
      if (change.diff) lines.push(...changeDiffLines(change.diff, options.style));
    }
  }
  return lines;
}

/** `850ms`, `4.2s`, `3m 07s`. */
export function formatDuration(ms: number): string {
  if (Math.round(ms) < 1000) return `${Math.round(ms)}ms`;
  // Round first, so 59.96 s reads `1m 00s` rather than `60.0s`.
  const tenths = Math.round(ms / 100);
  if (tenths < 600) return `${(tenths / 10).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
}

/** `PLAY [Real servers] ****…`: ansible-playbook's banner, padded with stars to 80 columns. */
export function banner(text: string): string {
  return `${text} ${'*'.repeat(Math.max(3, 79 - text.length))}`;
}
