/**
 * Ansible's host ranges: `rs[01:20].example.com`, `node-[a:c]`, `db[1:9:2]`, and several ranges in
 * one name. Semantics follow ansible's expand_hostname_range so an inventory expands to the same
 * hosts under both tools: the end is inclusive, an empty begin means 0, a begin with a leading zero
 * zero-pads every number to its width (and then begin and end must have the same width), and letter
 * ranges run through a–z then A–Z.
 */

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** A range that expands to more names than this is almost surely a typo (`[1:100000]`). */
const MAX_HOSTS = 65536;

export class HostRangeError extends Error {
  readonly hint: string;
  constructor(message: string, hint: string) {
    super(message);
    this.hint = hint;
  }
}

export function hasHostRange(name: string): boolean {
  return name.includes('[') || name.includes(']');
}

/** Expands every `[begin:end(:step)]` in a host name; throws HostRangeError on bad syntax. */
export function expandHostRange(name: string): string[] {
  const open = name.indexOf('[');
  const close = name.indexOf(']');
  if (open === -1 && close === -1) return [name];
  if (open === -1 || close < open) {
    throw new HostRangeError(`host range in "${name}" has an unbalanced "]"`, 'write a range as [begin:end], e.g. rs[01:20]');
  }
  const head = name.slice(0, open);
  const tail = name.slice(close + 1);
  const body = name.slice(open + 1, close);
  const names: string[] = [];
  for (const item of rangeItems(name, body)) {
    names.push(...expandHostRange(head + item + tail));
    if (names.length > MAX_HOSTS) {
      throw new HostRangeError(`host range "${name}" expands to more than ${MAX_HOSTS} hosts`, 'check the range bounds');
    }
  }
  return names;
}

function rangeItems(name: string, body: string): string[] {
  const bounds = body.split(':');
  if (bounds.length !== 2 && bounds.length !== 3) {
    throw new HostRangeError(
      `host range "[${body}]" in "${name}" is not begin:end or begin:end:step`,
      'write a range as [01:20], [a:f] or [1:9:2]',
    );
  }
  const begin = bounds[0] === '' ? '0' : bounds[0];
  const end = bounds[1];
  const stepText = bounds[2] ?? '1';
  if (end === '') throw new HostRangeError(`host range "[${body}]" in "${name}" has no end`, 'give the last value, e.g. [01:20]');
  if (!/^[1-9][0-9]*$/.test(stepText)) {
    throw new HostRangeError(`host range "[${body}]" in "${name}" has step "${stepText}"`, 'the step must be a positive whole number, e.g. [1:9:2]');
  }
  const step = Number(stepText);
  if (/^[A-Za-z]$/.test(begin) && /^[A-Za-z]$/.test(end)) {
    const from = LETTERS.indexOf(begin);
    const to = LETTERS.indexOf(end);
    if (from > to) throw new HostRangeError(`host range "[${body}]" in "${name}" runs backwards`, `write it as [${end}:${begin}]`);
    const items: string[] = [];
    for (let i = from; i <= to; i += step) items.push(LETTERS[i]);
    return items;
  }
  if (!/^[0-9]+$/.test(begin) || !/^[0-9]+$/.test(end)) {
    throw new HostRangeError(
      `host range "[${body}]" in "${name}" mixes or misspells its bounds`,
      'both bounds must be numbers ([01:20]) or both single letters ([a:f])',
    );
  }
  const width = begin.length > 1 && begin.startsWith('0') ? begin.length : 0;
  if (width > 0 && end.length !== width) {
    throw new HostRangeError(
      `host range "[${body}]" in "${name}" pads "${begin}" to ${width} digits but not "${end}"`,
      `write both bounds with the same number of digits, e.g. [${begin}:${end.padStart(width, '0')}]`,
    );
  }
  const from = Number(begin);
  const to = Number(end);
  if (from > to) throw new HostRangeError(`host range "[${body}]" in "${name}" runs backwards`, `write it as [${end}:${begin}]`);
  if ((to - from) / step >= MAX_HOSTS) {
    throw new HostRangeError(`host range "${name}" expands to more than ${MAX_HOSTS} hosts`, 'check the range bounds');
  }
  const items: string[] = [];
  for (let i = from; i <= to; i += step) items.push(String(i).padStart(width, '0'));
  return items;
}

/**
 * `web1:2222` names host web1 on port 2222, as in Ansible; `[2001:db8::1]:22` does the same for an
 * IPv6 address. A name with several colons outside brackets is an IPv6 address and has no port.
 */
export function splitHostPort(key: string): { pattern: string; port?: number } {
  const v6 = /^\[([0-9A-Fa-f.]*:[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*)\]:([0-9]+)$/.exec(key);
  if (v6) return { pattern: v6[1], port: Number(v6[2]) };
  const outsideBrackets = key.replace(/\[[^\]]*\]/g, '');
  const m = /^(.+):([0-9]+)$/.exec(key);
  if (m && outsideBrackets.split(':').length === 2) return { pattern: m[1], port: Number(m[2]) };
  return { pattern: key };
}
