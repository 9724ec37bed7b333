/**
 * community.general.iptables_state with its arguments and meaning (plugins/modules/iptables_state.py):
 * `saved` writes what `iptables-save [--table T]` prints, its dates and counters taken out, and is a
 * change when the file differs; `restored` runs `iptables-restore [--table T] [--noflush] PATH`
 * after `--test` accepts the file, and is a change when the tables' rules differ afterwards. As
 * that module does, a table the save or the file needs but the kernel lacks is made first (`-L`, or
 * an empty restore). The rollback (async with poll 0) is not supported: lvsdr refuses `async` and
 * `poll` on every task.
 */
import { parseIptablesSave, sameIptablesRuleSet, type IptablesRuleSet } from '../facts/parsers/iptables-save.ts';
import { factEffect, READ_FROM_NO_FILE, type Fact } from '../facts/fact.ts';
import { ip6tablesRulesFact, ip6tablesTool, iptablesRulesFact, netfilterTool, type NetfilterTool } from '../facts/netfilter.ts';
import { stdoutOf } from '../facts/stdout-of.ts';
import { andThen, sh, type ShellText } from '../shell/quote.ts';
import { ansibleBool, boolSchema, type AnsibleBool } from './ansible-args.ts';
import { ansibleIntSchema } from './ansible-values.ts';
import { writeFileChange } from './persisted-file-change.ts';
import { fileFact, knownContent } from './remote-file.ts';
import type { Change, ModuleContext, ModuleDef, Plan, StateView } from './types.ts';

type Table = 'filter' | 'nat' | 'mangle' | 'raw' | 'security';

interface IptablesStateArgs {
  path: string;
  state: 'saved' | 'restored';
  table?: Table;
  ip_version?: 'ipv4' | 'ipv6';
  noflush?: AnsibleBool;
  wait?: number | string;
  counters?: AnsibleBool;
  modprobe?: string;
}

const REFUSED: Record<string, string> = {
  counters: 'counters is not supported: saved counters change with every packet, so the task would never settle',
  modprobe: 'modprobe is not supported',
};

interface Tools {
  bin: 'iptables' | 'ip6tables';
  tool: NetfilterTool;
  rules: Fact<NetfilterTool, IptablesRuleSet>;
  saved: Fact<SaveOf, string[]>;
  iptables: string;
  save: string;
  restore: string;
}

function toolsFor(a: IptablesStateArgs, ctx: ModuleContext): Tools | undefined {
  const found = netfilterTool(ctx.facts, 'iptables');
  if (!found) return undefined;
  const four = (a.ip_version ?? 'ipv4') === 'ipv4';
  const tool = four ? found : ip6tablesTool(found);
  const bin = four ? 'iptables' : 'ip6tables';
  return { bin, tool, rules: four ? iptablesRulesFact : ip6tablesRulesFact, saved: SAVED[bin], iptables: tool.command, save: tool.save, restore: tool.restore };
}

/** filter_and_format_state: no dates on the Generated/Completed lines, counters zeroed unless kept, no empty lines. */
export function formatState(text: string): string[] {
  return text
    .replace(/((^|\n)# (Generated|Completed)[^\n]*) on [^\n]*/g, '$1')
    .replace(/\[[0-9]+:[0-9]+\]/g, '[0:0]')
    .split('\n')
    .filter((l) => l !== '');
}

/** Shell text that is true when the table is in the kernel's rules (iptables-save lists it). */
const hasTable = (t: Tools, table: string): ShellText => sh`${t.save} | grep -qxF ${`*${table}`}`;

/**
 * initialize_from_null_state: `-L` on the table, and when that leaves it missing (iptables-nft), an
 * empty restore of it. Run only when the table is missing, as the module does.
 */
function initTable(t: Tools, table: string, missing: ShellText): ShellText {
  const empty = `*${table}\n:OUTPUT ACCEPT\nCOMMIT\n`;
  return sh`if ${missing}; then ${t.iptables} -L -n -t ${table} >/dev/null && { ${hasTable(t, table)} || printf '%s' ${empty} | ${t.restore}; }; fi`;
}

/** A save of one table (or all) with one -save binary. */
interface SaveOf {
  save: string;
  table: string | undefined;
}

/** What the save will print: iptables-nft prints a missing table named by --table as empty, and an empty save is made a filter table first. */
function savedFact(bin: 'iptables' | 'ip6tables'): Fact<SaveOf, string[]> {
  return {
    kind: bin,
    id: (s) => `state-save:${s.table ?? 'all'}`,
    read: { command: (s) => (s.table ? sh`${s.save} --table ${s.table}` : sh`out=$(${s.save}) && if [ -n "$out" ]; then printf '%s\\n' "$out"; else ${s.save} --table filter; fi`) },
    parse: (r) => formatState(stdoutOf(`${bin}-save`, r)),
    unread: [],
    changedByWriting: READ_FROM_NO_FILE,
  };
}

const SAVED = { iptables: savedFact('iptables'), ip6tables: savedFact('ip6tables') };

/** The rule set restricted to one table (or all). */
const onlyTable = (set: IptablesRuleSet, table: string | undefined): IptablesRuleSet => (table ? (set[table] ? { [table]: set[table] } : {}) : set);

function planSaved(a: IptablesStateArgs, t: Tools, state: StateView): Plan {
  const probed = state.fact(t.saved, { save: t.save, table: a.table });
  const wouldBe = onlyTable(state.fact(t.rules, t.tool), a.table);
  const file = state.fact(fileFact, a.path);
  const before = knownContent(file);
  if (file.exists && before === null) return { kind: 'fail', message: `${a.path} is too large or not a regular file; lvsdr will not compare it` };
  const cmd = [t.save, ...(a.table ? ['--table', a.table] : [])].join(' ');
  // The save as the host prints it now, unless earlier tasks of a check run would change the rules first.
  const current = sameIptablesRuleSet(parseIptablesSave(probed.join('\n')), wouldBe);
  const lines = current ? probed : formatState(renderedSave(wouldBe));
  const content = `${lines.join('\n')}\n`;
  const differs = current ? before !== content : before === null || !sameIptablesRuleSet(parseIptablesSave(before), wouldBe);
  const result = { cmd, saved: lines };
  if (!differs) return { kind: 'noop', reason: `${a.path} holds the ${a.table ?? 'running'} ${t.bin} rules`, result };
  const init = initTable(t, a.table ?? 'filter', a.table ? sh`! { ${hasTable(t, a.table)}; }` : sh`[ -z "$(${t.save})" ]`);
  const write = writeFileChange(`save ${t.bin} rules${a.table ? ` (table ${a.table})` : ''} to ${a.path}`, a.path, file, content, file.exists ? {} : { mode: '0600' });
  const change: Change = { ...write, commands: [{ command: init, touches: [`${t.bin}:*`] }, ...write.commands] };
  return { kind: 'change', changes: [change], result };
}

/** iptables-save's text of a rule set, for a check run's diff after earlier tasks changed the rules. */
function renderedSave(set: IptablesRuleSet): string {
  return Object.entries(set)
    .map(([name, table]) => [`*${name}`, ...Object.entries(table.chains).map(([c, p]) => `:${c} ${p} [0:0]`), ...table.rules.map((r) => `-A ${r.chain} ${r.text}`), 'COMMIT'].join('\n'))
    .join('\n');
}

/** The rules once the file is restored: its tables replace the running ones, or with noflush add to them. */
function restoredSet(running: IptablesRuleSet, file: IptablesRuleSet, table: string | undefined, noflush: boolean): IptablesRuleSet {
  const after = { ...running };
  for (const [name, t] of Object.entries(onlyTable(file, table))) {
    const old = running[name];
    after[name] = noflush && old ? { chains: { ...old.chains, ...t.chains }, rules: [...old.rules, ...t.rules] } : t;
  }
  return after;
}

function planRestored(a: IptablesStateArgs, t: Tools, state: StateView): Plan {
  const file = state.fact(fileFact, a.path);
  if (!file.exists) return { kind: 'fail', message: `Source ${a.path} not found` };
  if (!file.type?.startsWith('regular')) return { kind: 'fail', message: `Source ${a.path} not a file` };
  const text = knownContent(file);
  if (text === null) return { kind: 'fail', message: `${a.path} is too large for lvsdr to read and compare` };
  let wanted: IptablesRuleSet;
  try {
    wanted = parseIptablesSave(text);
  } catch (err) {
    return { kind: 'fail', message: `Source ${a.path} is not suitable for input to ${t.bin}-restore: ${(err as Error).message}` };
  }
  if (a.table && !wanted[a.table]) return { kind: 'fail', message: `Table ${a.table} to restore not defined in ${a.path}` };
  const noflush = ansibleBool(a.noflush) ?? false;
  const running = state.fact(t.rules, t.tool);
  const after = restoredSet(running, wanted, a.table, noflush);
  const options = [...(a.table ? ['--table', a.table] : []), ...(a.wait !== undefined ? ['--wait', String(a.wait)] : []), ...(noflush ? ['--noflush'] : [])];
  const cmd = [t.restore, ...options, a.path].join(' ');
  const result = { cmd, applied: true, restored: text.split('\n').filter((l) => l !== '') };
  if (sameIptablesRuleSet(onlyTable(running, a.table), onlyTable(after, a.table))) return { kind: 'noop', reason: `the ${t.bin} rules are already those of ${a.path}`, result };
  const tables = a.table ? [a.table] : Object.keys(wanted);
  // Each table tested on its own, as the module does (iptables-nft-restore --test, Debian bug 960003).
  const test = tables.map((table) => sh`${t.restore} --test ${options} --table ${table} ${a.path}`);
  const init = tables.map((table) => initTable(t, table, sh`! { ${hasTable(t, table)}; }`));
  const change: Change = {
    summary: `restore ${t.bin} rules${a.table ? ` (table ${a.table})` : ''} from ${a.path}${noflush ? ' (noflush)' : ''}`,
    commands: [{ command: andThen(...init, ...test, sh`${t.restore} ${options} ${a.path}`), touches: [`${t.bin}:*`] }],
    effects: factEffect(t.rules, t.tool, after),
  };
  return { kind: 'change', changes: [change], result };
}

export const iptablesStateModule: ModuleDef<IptablesStateArgs> = {
  name: 'community.general.iptables_state',
  summary: 'iptables rules saved to a file or restored from one, as community.general.iptables_state',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['path', 'state'],
    properties: {
      path: { type: 'string', pattern: '^/[^\\0\\n]*$', description: 'an absolute path' },
      state: { enum: ['saved', 'restored'] },
      table: { enum: ['filter', 'nat', 'mangle', 'raw', 'security'] },
      ip_version: { enum: ['ipv4', 'ipv6'] },
      noflush: boolSchema,
      wait: ansibleIntSchema(0),
      ...Object.fromEntries(Object.entries(REFUSED).map(([k, why]) => [k, { description: why }])),
    },
  },
  argProblems: (a) => Object.keys(REFUSED).filter((k) => k in a).map((k) => ({ path: `/${k}`, message: REFUSED[k] })),
  plan(a, state, ctx) {
    const t = toolsFor(a, ctx);
    if (!t) return { kind: 'fail', message: 'iptables is not installed on this host (install the iptables package)' };
    return a.state === 'saved' ? planSaved(a, t, state) : planRestored(a, t, state);
  },
};
