/**
 * Ansible filters on strings and numbers that real playbooks use (ansible/plugins/filter/core.py,
 * mathstuff.py; Jinja2's `format`), each with Python's meaning.
 */
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';

/** Python's re.escape (3.7+): only characters special in a pattern get a backslash. */
const RE_SPECIAL = new Set([...'()[]{}?*+-|^$\\.&~# \t\n\r\v\f']);

export const textFilters: Record<string, (value: unknown, ...args: unknown[]) => unknown> = {
  regex_escape: (v, reType = 'python') => {
    if (reType !== 'python') throw new Error(`regex_escape: re_type '${String(reType)}' is not supported by lvsdr: use python`);
    return [...String(v)].map((c) => (RE_SPECIAL.has(c) ? `\\${c}` : c)).join('');
  },
  // hashlib's names: sha1 (the default), md5, sha256, sha512, ...
  hash: (v, algorithm = 'sha1') => createHash(String(algorithm)).update(String(v), 'utf8').digest('hex'),
  checksum: (v) => createHash('sha1').update(String(v), 'utf8').digest('hex'),
  // shlex.quote: left alone when every character is safe, else single-quoted.
  quote: (v) => {
    const s = v == null ? '' : String(v);
    if (s === '') return "''";
    return /[^\w@%+=:,./-]/.test(s) ? `'${s.replace(/'/g, `'"'"'`)}'` : s;
  },
  expanduser: (v) => String(v).replace(/^~(?=\/|$)/, homedir()),
  format: (v, ...args) => pythonPercent(String(v), args),
};

/** Python's `%` formatting for the conversions templates use: %s %r %d %i %f %x %o %%, with width and precision. */
function pythonPercent(format: string, args: unknown[]): string {
  let next = 0;
  const out = format.replace(/%([-+ 0#]*)(\d+)?(?:\.(\d+))?([sdifrxXo%])/g, (_, flags: string, width?: string, precision?: string, conv?: string) => {
    if (conv === '%') return '%';
    if (next >= args.length) throw new Error('format: not enough arguments for format string');
    const arg = args[next++];
    let text: string;
    switch (conv) {
      case 's':
        text = typeof arg === 'boolean' ? (arg ? 'True' : 'False') : arg == null ? 'None' : String(arg);
        if (precision !== undefined) text = text.slice(0, Number(precision));
        break;
      case 'r':
        text = typeof arg === 'string' ? `'${arg}'` : String(arg);
        break;
      case 'd':
      case 'i':
        text = String(Math.trunc(Number(arg)));
        break;
      case 'f':
        text = Number(arg).toFixed(precision === undefined ? 6 : Number(precision));
        break;
      case 'x':
      case 'X':
        text = Math.trunc(Number(arg)).toString(16);
        if (conv === 'X') text = text.toUpperCase();
        break;
      default:
        text = Math.trunc(Number(arg)).toString(8);
    }
    if (flags.includes('+') && /^[0-9]/.test(text) && 'difxXo'.includes(conv!)) text = `+${text}`;
    const pad = Number(width ?? 0) - text.length;
    if (pad <= 0) return text;
    if (flags.includes('-')) return text + ' '.repeat(pad);
    return (flags.includes('0') && conv !== 's' ? '0' : ' ').repeat(pad) + text;
  });
  if (next < args.length) throw new Error('format: not all arguments converted during string formatting');
  return out;
}
