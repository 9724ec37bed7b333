/**
 * Plain scalars typed the way Ansible's loader types them: PyYAML's YAML 1.1 implicit resolvers
 * (pyyaml lib/yaml/resolver.py, `Resolver.add_implicit_resolver` for bool, int, float, timestamp),
 * which differ from the `yaml` package's 1.1 schema: `y`/`n` are strings, `1e3` and `e5` are strings
 * (a float needs a dot, an exponent needs a sign: `1.5e3` is a string, `1.5e+3` is 1500), `09` is a
 * string, and a date is Python's `date`, which templates render as `2023-03-20`.
 * Checked against Debian's ansible-core 2.14 (AnsibleLoader) for every form below.
 */
import type { ScalarTag, Tags } from 'yaml';

const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const TRUE_WORDS = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;

const INT = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;

const FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
const DATETIME =
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?$/;

type OnError = (message: string) => void;

/** `1:30` is 90 and `190:20:30` is 685230: YAML 1.1's base-60 numbers. */
function sexagesimal(digits: string): number {
  return digits.split(':').reduce((acc, part) => acc * 60 + Number(part), 0);
}

function signOf(text: string): { sign: number; rest: string } {
  if (text[0] === '-') return { sign: -1, rest: text.slice(1) };
  return { sign: 1, rest: text[0] === '+' ? text.slice(1) : text };
}

function resolveInt(source: string, onError: OnError): number | string {
  if (!INT.test(source)) {
    onError(`${JSON.stringify(source)} is not an integer`);
    return source;
  }
  const { sign, rest } = signOf(source.replace(/_/g, ''));
  if (rest === '0') return 0;
  if (rest.startsWith('0b')) return sign * parseInt(rest.slice(2), 2);
  if (rest.startsWith('0x')) return sign * parseInt(rest.slice(2), 16);
  if (rest.startsWith('0')) return sign * parseInt(rest, 8);
  if (rest.includes(':')) return sign * sexagesimal(rest);
  return sign * Number(rest);
}

function resolveFloat(source: string, onError: OnError): number | string {
  if (!FLOAT.test(source)) {
    onError(`${JSON.stringify(source)} is not a float`);
    return source;
  }
  const { sign, rest } = signOf(source.replace(/_/g, '').toLowerCase());
  if (rest === '.inf') return sign * Infinity;
  if (rest === '.nan') return NaN;
  if (rest.includes(':')) {
    const [whole, fraction] = rest.split('.');
    return sign * (sexagesimal(whole) + Number(`0.${fraction || '0'}`));
  }
  return sign * Number(rest);
}

/**
 * A date stays its ISO text, which is what Ansible renders (`str(date)`) and what it hands a module
 * (its JSON encoder writes `date.isoformat()`). A date with a time is a Python datetime, whose text
 * differs between the two (`2001-12-14 21:59:43` in a template, `2001-12-14T21:59:43` in a module's
 * arguments): no string means both, so it is refused rather than given one meaning silently.
 */
function resolveTimestamp(source: string, onError: OnError): string {
  if (DATE.test(source)) return source;
  onError(
    `${JSON.stringify(source)} is a timestamp, which Ansible reads as a Python datetime; lvsdr does not support datetime values`,
  );
  return source;
}

const scalar = (tag: string, test: RegExp, resolve: ScalarTag['resolve']): ScalarTag => ({
  tag: `tag:yaml.org,2002:${tag}`,
  default: true,
  test,
  resolve,
  identify: () => false,
});

/** PyYAML's resolvers, in place of the `yaml` package's 1.1 bool, int, float and timestamp tags. */
export const PYYAML_SCALAR_TAGS: ScalarTag[] = [
  scalar('bool', BOOL, (source) => TRUE_WORDS.test(source)),
  scalar('int', INT, resolveInt),
  scalar('float', FLOAT, resolveFloat),
  scalar('timestamp', new RegExp(`${DATE.source}|${DATETIME.source}`), resolveTimestamp),
];

const REPLACED = new Set(PYYAML_SCALAR_TAGS.map((t) => t.tag));

/** The `yaml` package's YAML 1.1 tags with the scalar ones replaced by PyYAML's. */
export function pyyamlTags(tags: Tags): Tags {
  return [...tags.filter((t) => typeof t !== 'string' && !REPLACED.has(t.tag)), ...PYYAML_SCALAR_TAGS];
}
