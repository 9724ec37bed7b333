/**
 * sysctl.d files (`name = value` lines, `#`/`;` comments, a leading `-` meaning "ignore if the key
 * does not exist"), read and edited one key at a time so other lines are kept as they are.
 */

/**
 * sysctl accepts `/` as the separator too (`net/ipv4/conf/eth0.100/arp_ignore`), and then a `.` is
 * part of a name; with `.` separators the same interface is written `eth0/100`.
 */
export function normalizeSysctlName(name: string): string {
  const firstSlash = name.indexOf('/');
  const firstDot = name.indexOf('.');
  if (firstSlash === -1 || (firstDot !== -1 && firstDot < firstSlash)) return name;
  return name
    .split('/')
    .map((part) => part.replaceAll('.', '/'))
    .join('.');
}

/** Runs of spaces and tabs are one separator: `sysctl -n` prints tabs, files often hold spaces. */
export const normalizeSysctlValue = (v: string): string => v.trim().replace(/\s+/g, ' ');

interface Entry {
  index: number;
  name: string;
  value: string;
}

function entries(lines: readonly string[]): Entry[] {
  return lines.flatMap((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return [];
    const eq = line.indexOf('=');
    if (eq === -1) return [];
    const name = normalizeSysctlName(line.slice(0, eq).trim().replace(/^-/, ''));
    return [{ index, name, value: normalizeSysctlValue(line.slice(eq + 1)) }];
  });
}

/** Every value the file gives `name`, in order (systemd-sysctl applies the last one). */
export function sysctlConfValues(text: string | null, name: string): string[] {
  if (text === null) return [];
  const wanted = normalizeSysctlName(name);
  return entries(text.split('\n'))
    .filter((e) => e.name === wanted)
    .map((e) => e.value);
}

/**
 * The file with exactly one `name = value` line for `name` (the first existing one is replaced in
 * place, duplicates removed, else appended), or with none when `value` is null.
 */
export function setSysctlConfLine(text: string | null, name: string, value: string | null): string {
  const lines = text === null || text === '' ? [] : text.replace(/\n$/, '').split('\n');
  const wanted = normalizeSysctlName(name);
  const matching = new Set(entries(lines).filter((e) => e.name === wanted).map((e) => e.index));
  const out: string[] = [];
  let placed = false;
  lines.forEach((line, i) => {
    if (!matching.has(i)) out.push(line);
    else if (value !== null && !placed) {
      out.push(`${name} = ${value}`);
      placed = true;
    }
  });
  if (value !== null && !placed) out.push(`${name} = ${value}`);
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}
