/**
 * The one place where values become shell text (DESIGN.md §4). Every command that reaches a remote
 * shell is built with the `sh` tagged template, so interpolated values are always single-quoted.
 */

/** Marks text that is already shell syntax (built by `sh`), so `sh` inserts it verbatim. */
export class ShellText {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  toString(): string {
    return this.text;
  }
}

/**
 * Quotes one value for a POSIX shell. Plain words stay readable (`eth0`, `/etc/x.conf`); anything
 * else is wrapped in single quotes, the only quoting in which no character is special. NUL cannot
 * be passed through a shell argument at all, so it is refused rather than silently truncated.
 */
export function quote(value: string | number | boolean): string {
  const s = String(value);
  if (s.includes('\0')) throw new Error('a NUL byte cannot be passed to a remote shell');
  if (s !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replaceAll("'", `'"'"'`)}'`;
}

type ShellValue = string | number | boolean | ShellText | readonly (string | number | ShellText)[];

/**
 * sh`sysctl -w ${key}=${value}` — literal parts are kept as written, values are quoted; an array
 * becomes several quoted words, and a ShellText (from a nested `sh`) is inserted as it is.
 */
export function sh(strings: TemplateStringsArray, ...values: ShellValue[]): ShellText {
  let out = strings[0];
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1];
  });
  return new ShellText(out);
}

function render(v: ShellValue): string {
  if (v instanceof ShellText) return v.text;
  if (Array.isArray(v)) return v.map((x) => render(x as ShellValue)).join(' ');
  return quote(v as string | number | boolean);
}

/** Joins commands so the next runs only if the previous succeeded. */
export function andThen(...parts: ShellText[]): ShellText {
  return new ShellText(parts.map((p) => p.text).join(' && '));
}
