/**
 * The PLAY RECAP table, like ansible-playbook's: one aligned row of counts per host, a total row
 * and how long the run took.
 */
import type { HostStats } from '../core/events.ts';
import type { Paint, Style } from './style.ts';
import { banner, formatDuration } from './result-lines.ts';

export interface RecapOptions {
  style: Style;
  /** The run was a dry run: the header says nothing was changed. */
  check: boolean;
}

const COLUMNS: (keyof HostStats)[] = ['ok', 'changed', 'unreachable', 'failed', 'skipped', 'rescued', 'ignored'];

function columnPaint(key: keyof HostStats, style: Style): Paint {
  switch (key) {
    case 'ok':
      return style.ok;
    case 'changed':
      return style.changed;
    case 'unreachable':
    case 'failed':
      return style.failed;
    case 'skipped':
      return style.skipped;
    case 'rescued':
      return style.ok;
    case 'ignored':
      return style.ignored;
  }
}

/** A host's name reads red if anything failed there, yellow if it changed, green otherwise. */
function hostPaint(stats: HostStats, style: Style): Paint {
  if (stats.failed > 0 || stats.unreachable > 0) return style.failed;
  if (stats.changed > 0) return style.changed;
  return style.ok;
}

export function totalStats(stats: Record<string, HostStats>): HostStats {
  const total: HostStats = { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 };
  for (const s of Object.values(stats)) for (const key of COLUMNS) total[key] += s[key];
  return total;
}

export function recapLines(stats: Record<string, HostStats>, durationMs: number, options: RecapOptions): string[] {
  const { style } = options;
  const hosts = Object.keys(stats);
  const totalLabel = `total (${hosts.length} host${hosts.length === 1 ? '' : 's'})`;
  const rows: [string, HostStats, Paint][] = [
    ...hosts.map((h): [string, HostStats, Paint] => [h, stats[h], hostPaint(stats[h], style)]),
    [totalLabel, totalStats(stats), style.bold],
  ];
  const nameWidth = Math.max(...rows.map(([name]) => name.length));
  const widths = COLUMNS.map((key) => Math.max(...rows.map(([, s]) => String(s[key]).length)));

  // Padding is computed on the bare text, then painted, so color never breaks the alignment.
  const lines = rows.map(([name, s, paint]) => {
    const cells = COLUMNS.map((key, i) => {
      const cell = `${key}=${s[key]}`;
      const padded = cell.padEnd(key.length + 1 + widths[i]);
      return s[key] === 0 ? padded : columnPaint(key, style)(cell) + padded.slice(cell.length);
    });
    return `${paint(name)}${' '.repeat(nameWidth - name.length)} : ${cells.join(' ')}`.trimEnd();
  });
  const title = options.check ? 'PLAY RECAP (check mode: nothing was changed)' : 'PLAY RECAP';
  return [banner(title), ...lines, `elapsed: ${formatDuration(durationMs)}`];
}
