/**
 * Colors for terminal output, switched off as a whole: when color is off every style is the
 * identity, so no renderer has to remember to check.
 */

export type Paint = (text: string) => string;

export interface Style {
  ok: Paint;
  changed: Paint;
  failed: Paint;
  skipped: Paint;
  ignored: Paint;
  bold: Paint;
  dim: Paint;
}

const sgr =
  (open: string): Paint =>
  (text) =>
    `\x1b[${open}m${text}\x1b[0m`;
const plain: Paint = (text) => text;

export function makeStyle(color: boolean): Style {
  if (!color) return { ok: plain, changed: plain, failed: plain, skipped: plain, ignored: plain, bold: plain, dim: plain };
  return {
    ok: sgr('32'),
    changed: sgr('33'),
    failed: sgr('31'),
    skipped: sgr('36'),
    ignored: sgr('35'),
    bold: sgr('1'),
    dim: sgr('2'),
  };
}

/**
 * Whether to color output. NO_COLOR (https://no-color.org: any non-empty value) wins, so a user
 * who asked for no color never gets it; FORCE_COLOR turns color on (or off with `0`/`false`) for
 * pipes, e.g. CI logs that render ANSI; otherwise color only on a terminal that is not `dumb`.
 */
export function colorEnabled(env: Record<string, string | undefined>, isTTY: boolean): boolean {
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  return isTTY && env.TERM !== 'dumb';
}

/** Color and cursor-free text: removes SGR sequences (colors), leaving cursor movement alone. */
export function stripColor(text: string): string {
  return text.replace(/\x1b\[[0-9;]*m/g, '');
}
