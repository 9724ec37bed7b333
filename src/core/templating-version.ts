/**
 * Ansible's `version` test (alias `version_compare`; ansible/plugins/test/core.py): compares two
 * version strings with an operator, as distutils' LooseVersion (the default) or StrictVersion
 * (`strict=true` or `version_type='strict'`) compares them. `semver` and `pep440` are refused.
 */
const OPERATORS: Record<string, (c: number) => boolean> = {
  '==': (c) => c === 0, '=': (c) => c === 0, eq: (c) => c === 0,
  '!=': (c) => c !== 0, '<>': (c) => c !== 0, ne: (c) => c !== 0,
  '<': (c) => c < 0, lt: (c) => c < 0,
  '<=': (c) => c <= 0, le: (c) => c <= 0,
  '>': (c) => c > 0, gt: (c) => c > 0,
  '>=': (c) => c >= 0, ge: (c) => c >= 0,
};

export interface VersionOptions {
  strict?: unknown;
  version_type?: unknown;
}

export function versionCompare(value: unknown, version: unknown, operator: unknown = 'eq', options: VersionOptions = {}): boolean {
  if (options.strict != null && options.version_type != null) throw new Error('Cannot specify both strict and version_type');
  if (!value) throw new Error('Input version value cannot be empty');
  if (!version) throw new Error('Version parameter to compare against cannot be empty');
  const test = OPERATORS[String(operator)];
  if (!test) throw new Error(`Invalid operator type (${String(operator)}). Must be one of ${Object.keys(OPERATORS).join(', ')}`);
  const type = options.strict ? 'strict' : options.version_type == null ? 'loose' : String(options.version_type);
  if (type === 'loose') return test(compareLists(loose(String(value)), loose(String(version))));
  if (type === 'strict') return test(compareStrict(strict(String(value)), strict(String(version))));
  throw new Error(`version_type '${type}' is not supported by lvsdr: use loose (the default) or strict`);
}

/** LooseVersion: numbers and letter runs (and anything between them), dots dropped. */
function loose(text: string): (number | string)[] {
  return text
    .split(/(\d+|[a-z]+|\.)/)
    .filter((p) => p !== '' && p !== '.')
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function compareLists(a: (number | string)[], b: (number | string)[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    // Python 3 cannot order an int against a str, and Ansible reports that as a failure.
    if (typeof a[i] !== typeof b[i]) throw new Error(`Version comparison failed: '<' not supported between ${JSON.stringify(a[i])} and ${JSON.stringify(b[i])}`);
    return a[i] < b[i] ? -1 : 1;
  }
  return a.length - b.length;
}

interface StrictParts {
  release: number[];
  pre?: [string, number];
}

function strict(text: string): StrictParts {
  const m = /^(\d+)\.(\d+)(\.(\d+))?([ab](\d+))?$/.exec(text);
  if (!m) throw new Error(`invalid version number '${text}'`);
  return { release: [Number(m[1]), Number(m[2]), Number(m[4] ?? 0)], pre: m[5] ? [m[5][0], Number(m[6])] : undefined };
}

function compareStrict(a: StrictParts, b: StrictParts): number {
  const release = compareLists(a.release, b.release);
  if (release !== 0) return release;
  if (!a.pre || !b.pre) return a.pre ? -1 : b.pre ? 1 : 0;
  return compareLists(a.pre, b.pre);
}
