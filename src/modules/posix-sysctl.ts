/**
 * ansible.posix.sysctl with its own arguments (name/key, value/val, state, sysctl_file, sysctl_set,
 * reload, ignoreerrors) and its meaning (ansible_collections/ansible/posix/plugins/modules/sysctl.py):
 * the file is rewritten as that module writes it (`name=value` lines, each key once), the runtime
 * value set with `sysctl -w` (sysctl_set) and the file applied with `sysctl -p FILE` (reload). The
 * runtime is read and planned on as lvsdr's sysctl module does (the same state keys, the value the
 * kernel acts on for arp_ignore and friends), and a key the kernel does not have is refused before
 * anything is written unless ignoreerrors says to go on.
 */
import { normalizeSysctlValue } from '../facts/parsers/sysctl-conf.ts';
import { sh } from '../shell/quote.ts';
import { aliasProblems, ansibleBool, boolSchema, withoutAliases, type AnsibleBool } from './ansible-args.ts';
import { sysctlKey, sysctlProbe } from './lvs-state.ts';
import { writeFileChange } from './persisted-file-change.ts';
import { fileKey, fileProbe, knownContent, type RemoteFile } from './remote-file.ts';
import { effectiveNote, effectiveSysctl } from './sysctl-effective.ts';
import type { Change, ModuleDef, Plan } from './types.ts';

interface PosixSysctlArgs {
  name?: string;
  key?: string;
  value?: string | number | boolean;
  val?: string | number | boolean;
  state?: 'present' | 'absent';
  reload?: AnsibleBool;
  sysctl_set?: AnsibleBool;
  ignoreerrors?: AnsibleBool;
  sysctl_file?: string;
}

const ALIASES = { key: 'name', val: 'value' };
const DEFAULT_FILE = '/etc/sysctl.conf';
const TRUE_VALUES = ['y', 'yes', 'on', '1', 'true', 't'];
const FALSE_VALUES = ['n', 'no', 'off', '0', 'false', 'f'];

/** The module's _parse_value: booleans and boolean words become 1 and 0, text is stripped. */
export function sysctlValue(v: string | number | boolean | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'number') return String(v);
  if (TRUE_VALUES.includes(v.toLowerCase())) return '1';
  if (FALSE_VALUES.includes(v.toLowerCase())) return '0';
  return v.trim();
}

const isEntry = (line: string): boolean => line.trim() !== '' && !line.trim().startsWith('#') && !line.trim().startsWith(';') && line.includes('=');
const split = (line: string): [string, string] => {
  const at = line.indexOf('=');
  return [line.slice(0, at).trim(), line.slice(at + 1).trim()];
};

/** read_sysctl_file: each key's value (the last line for it wins). */
export function fileValues(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split('\n').map((l) => l.trim())) if (isEntry(line)) values.set(...split(line));
  return values;
}

/** fix_lines + write_sysctl: every line stripped, each key once as `k=v` (its first line), this key set or dropped. */
export function rewrittenFile(text: string, name: string, value: string | null): string {
  const seen = new Set<string>();
  const out: string[] = [];
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  for (const line of lines.map((l) => l.trim())) {
    if (!isEntry(line)) {
      out.push(line);
      continue;
    }
    const [k, v] = split(line);
    if (seen.has(k)) continue;
    seen.add(k);
    if (k !== name) out.push(`${k}=${v}`);
    else if (value !== null) out.push(`${k}=${value}`);
  }
  if (!seen.has(name) && value !== null) out.push(`${name}=${value}`);
  return out.map((l) => `${l}\n`).join('');
}

/** _values_is_equal: the same words in the same order. */
const sameWords = (a: string | null, b: string): boolean => a !== null && normalizeSysctlValue(a) === normalizeSysctlValue(b);

function options(written: PosixSysctlArgs) {
  const a = withoutAliases(written, ALIASES);
  return {
    name: a.name!.trim(),
    value: sysctlValue(a.value),
    present: (a.state ?? 'present') === 'present',
    reload: ansibleBool(a.reload) ?? true,
    set: ansibleBool(a.sysctl_set) ?? false,
    ignoreErrors: ansibleBool(a.ignoreerrors) ?? false,
    file: a.sysctl_file ?? DEFAULT_FILE,
  };
}

const valueSchema = { anyOf: [{ type: 'string', pattern: '^[^\\n]*$' }, { type: 'number' }, { type: 'boolean' }] };
const nameSchema = { type: 'string', pattern: '^\\s*[a-z][a-z0-9_]*([./][A-Za-z0-9_@:-]+)+\\s*$', maxLength: 200 };

export const posixSysctlModule: ModuleDef<PosixSysctlArgs> = {
  name: 'ansible.posix.sysctl',
  summary: 'a kernel parameter in /etc/sysctl.conf (or sysctl_file) and at runtime, as ansible.posix.sysctl',
  schema: {
    type: 'object',
    properties: {
      name: nameSchema,
      key: nameSchema,
      value: valueSchema,
      val: valueSchema,
      state: { enum: ['present', 'absent'] },
      reload: boolSchema,
      sysctl_set: boolSchema,
      ignoreerrors: boolSchema,
      sysctl_file: { type: 'string', pattern: '^/[^\\0\\n]*$' },
    },
    oneOf: [{ required: ['name'] }, { required: ['key'] }],
    additionalProperties: false,
  },
  argProblems(written) {
    const problems = aliasProblems(written, ALIASES);
    const a = withoutAliases(written, ALIASES);
    if ((a.state ?? 'present') === 'present' && (a.value === undefined || sysctlValue(a.value) === '')) {
      problems.push({ path: a.value === undefined ? '' : `/${'val' in written ? 'val' : 'value'}`, message: a.value === undefined ? 'state is present but all of the following are missing: value' : 'value cannot be blank' });
    }
    return problems;
  },
  probes(written) {
    const o = options(written);
    // The plan's note on the effective value (max of the interface's and conf.all's) reads conf.all.
    const related = effectiveSysctl(o.name);
    return [sysctlProbe(o.name), ...(related ? [sysctlProbe(related.allName)] : []), fileProbe(o.file)];
  },
  plan(written, state): Plan {
    const o = options(written);
    const proc = state.get<string | null>(sysctlKey(o.name));
    const file = state.get<RemoteFile>(fileKey(o.file));
    const text = knownContent(file);
    if (file.exists && text === null) return { kind: 'fail', message: `${o.file} is too large or not a regular file; lvsdr will not edit it` };
    if (proc === null && (o.set || o.reload) && o.present && !o.ignoreErrors) {
      return { kind: 'fail', message: `sysctl ${o.name} does not exist on this host (for net.ipv4.conf.<interface>.*, is the interface there?); ignoreerrors: true writes ${o.file} anyway` };
    }
    const inFile = fileValues(text ?? '').get(o.name) ?? null;
    const writeFile = o.present ? inFile !== o.value : Boolean(inFile);
    const runtimeDiffers = o.present && !sameWords(proc, o.value);
    const setProc = o.set && o.present && proc !== null && runtimeDiffers;
    // As the module decides: a file that changes, or a runtime value that differs (or is missing).
    const changed = writeFile || (o.present && (o.reload || o.set) && runtimeDiffers);
    if (!changed) return { kind: 'noop', reason: `${o.name} ${o.present ? `already ${proc}${effectiveNote(o.name, proc, state)}; ${o.file} has it` : `not in ${o.file}`}` };
    /** `sysctl` with -e when ignoreerrors: unknown keys are not errors. */
    const sysctl = o.ignoreErrors ? sh`sysctl -e` : sh`sysctl`;
    const changes: Change[] = [];
    const runtimeAfter = o.present && proc !== null ? normalizeSysctlValue(o.value) : proc;
    if (setProc) {
      changes.push({
        summary: `${o.name} ${proc} → ${o.value}${effectiveNote(o.name, runtimeAfter, state)}`,
        commands: [{ command: sh`${sysctl} -w ${`${o.name}=${o.value}`}`, touches: ['sysctl:*'] }],
        diff: { kind: 'value', name: o.name, before: proc, after: o.value },
        effects: { [sysctlKey(o.name)]: runtimeAfter },
      });
    }
    if (writeFile) {
      const after = rewrittenFile(text ?? '', o.name, o.present ? o.value : null);
      changes.push(writeFileChange(o.present ? `${o.name}=${o.value} in ${o.file}` : `remove ${o.name} from ${o.file}`, o.file, file, after));
    }
    if (o.reload) {
      // sysctl -p applies every line of the file, so every runtime value may change.
      changes.push({
        summary: `sysctl -p ${o.file}${!setProc && runtimeDiffers ? ` (${o.name} ${proc} → ${o.value}${effectiveNote(o.name, runtimeAfter, state)})` : ''}`,
        commands: [{ command: sh`${sysctl} -p ${o.file}`, touches: ['sysctl:*'] }],
        ...(!setProc && runtimeDiffers ? { diff: { kind: 'value' as const, name: o.name, before: proc, after: o.value } } : {}),
        effects: o.present && proc !== null ? { [sysctlKey(o.name)]: runtimeAfter } : {},
      });
    }
    return { kind: 'change', changes };
  },
};
