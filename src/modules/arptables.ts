/**
 * `arptables`: one ARP rule in the RHEL guide's terms (`-A IN -d <vip> -j DROP`, `-A OUT -s <vip>
 * -j mangle --mangle-ip-s <real ip>`), at runtime and in the saved rule set the restore unit loads
 * at boot. The saved file is rewritten whenever it says something else than the would-be runtime
 * rules, which also repairs drift.
 */
import { sameArptablesRuleSet, parseArptablesSave, type ArptablesRuleSet } from '../facts/parsers/arptables-save.ts';
import { sh } from '../shell/quote.ts';
import { layoutFor, noLayoutMessage, type Layout } from './layout.ts';
import { interfaceSchema, ipv4Schema, persistedRuleProperties, type PersistedRuleArgs } from './lvs-schema.ts';
import { factEffect } from '../facts/fact.ts';
import { fileFact, knownContent } from '../facts/file.ts';
import { arptablesCheckFact, arptablesRulesFact, netfilterTool, type NetfilterTool, type RuleCheck } from '../facts/netfilter.ts';
import { unitFact } from '../facts/unit.ts';
import { arptablesRule, arptablesRuleWords, isEmptyRuleSet, renderArptablesSave, sameRule, withOneRule, withoutRule, withRule, type ArptablesRuleArgs } from './arptables-rules.ts';
import { arptablesRestoreUnit } from './arptables-restore-unit.ts';
import { removeFileChange, saveOutputChange } from './persisted-file-change.ts';
import type { Change, ModuleContext, ModuleDef, Plan, StateView } from './types.ts';
import { enableUnitChange, ownUnitChanges, removeOwnUnitChanges } from './unit-changes.ts';

export interface ArptablesArgs extends ArptablesRuleArgs, PersistedRuleArgs {}

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['chain', 'target'],
  properties: {
    chain: { enum: ['IN', 'OUT', 'INPUT', 'OUTPUT'], description: 'IN/OUT (the guide) mean INPUT/OUTPUT.' },
    destination: ipv4Schema,
    source: ipv4Schema,
    in_interface: interfaceSchema,
    out_interface: interfaceSchema,
    target: { enum: ['DROP', 'ACCEPT', 'mangle'] },
    mangle_ip_s: { ...ipv4Schema, description: "Default: the host's address on its default route." },
    ...persistedRuleProperties,
  },
  anyOf: [{ required: ['destination'] }, { required: ['source'] }],
};

interface Persistence {
  file: string;
  unit: Layout['arptablesUnit'];
}

function persistence(args: ArptablesArgs, ctx: ModuleContext): Persistence | undefined {
  const layout = layoutFor(ctx.facts.osFamily);
  const file = args.file ?? layout?.arptablesFile;
  const unit = args.unit
    ? { own: false as const, name: args.unit, installHint: `install the package that provides ${args.unit}` }
    : layout?.arptablesUnit;
  return file && unit ? { file, unit } : undefined;
}

/** What may appear unquoted in a unit's ExecStart line. */
const SAFE_UNIT_PATH = /^\/[A-Za-z0-9_.+\/-]+$/;

export function planArptables(args: ArptablesArgs, state: StateView, ctx: ModuleContext): Plan {
  const tool = netfilterTool(ctx.facts, 'arptables');
  if (!tool) return { kind: 'fail', message: 'arptables is not installed on this host (install the arptables package)' };
  const mangleSource = args.mangle_ip_s ?? ctx.facts.defaultIpv4;
  if (args.target === 'mangle' && !mangleSource) {
    return { kind: 'fail', message: 'target mangle needs mangle_ip_s: this host has no IPv4 default route to take its real IP from' };
  }
  const p = args.persist === false ? undefined : persistence(args, ctx);
  if (args.persist !== false && !p) return { kind: 'fail', message: noLayoutMessage(ctx.facts.osFamily, ['file', 'unit']) };

  const rule = arptablesRule(args, mangleSource);
  const words = arptablesRuleWords(args, mangleSource);
  const runtime = state.fact(arptablesRulesFact, tool);
  const copies = runtime.rules.filter((r) => sameRule(r, rule)).length;
  // arptables-nft answers `-C` itself; legacy arptables has no -C, so its rules are compared parsed.
  const check = tool.variant === 'nft' ? { id: `${rule.chain} ${rule.key}`, command: sh`${tool.command} -C ${rule.chain} ${words}` } : undefined;
  const present = check ? state.fact(arptablesCheckFact, check) : copies > 0;
  const wantPresent = (args.state ?? 'present') === 'present';
  const shown = `${rule.chain} ${words.join(' ')}`;

  const changes: Change[] = [];
  let after = runtime;
  if (wantPresent && !present) {
    after = withRule(runtime, rule);
    changes.push(ruleChange(`add arptables rule ${shown}`, [sh`${tool.command} -A ${rule.chain} ${words}`], tool, check, after, true));
  } else if (wantPresent && copies > 1) {
    // A rule present twice (two runs that raced, or a hand edit) is drift: one copy stays.
    after = withOneRule(runtime, rule);
    const deletes = Array.from({ length: copies - 1 }, () => sh`${tool.command} -D ${rule.chain} ${words}`);
    changes.push(ruleChange(`remove ${copies - 1} duplicate(s) of arptables rule ${shown}`, deletes, tool, check, after, true));
  } else if (!wantPresent && present) {
    after = withoutRule(runtime, rule);
    // A rule added twice is deleted twice; `-D` removes one copy per call.
    const deletes = Array.from({ length: Math.max(copies, 1) }, () => sh`${tool.command} -D ${rule.chain} ${words}`);
    changes.push(ruleChange(`delete arptables rule ${shown}`, deletes, tool, check, after, false));
  }
  const persisted = p ? persistChanges(p, tool, after, !wantPresent, changes.length === 0, state, ctx) : [];
  if ('fail' in persisted) return { kind: 'fail', message: persisted.fail };
  changes.push(...persisted);
  if (changes.length > 0) return { kind: 'change', changes };
  const where = !p ? '' : wantPresent ? `; saved in ${p.file}; ${p.unit.name} enabled` : `; not in ${p.file}`;
  return { kind: 'noop', reason: `arptables rule ${shown} ${wantPresent ? 'present' : 'absent'}${where}` };
}

function ruleChange(summary: string, commands: ReturnType<typeof sh>[], tool: NetfilterTool, check: RuleCheck | undefined, after: ArptablesRuleSet, present: boolean): Change {
  return {
    summary,
    commands: commands.map((command) => ({ command, touches: ['arptables:*'] })),
    effects: { ...factEffect(arptablesRulesFact, tool, after), ...(check ? factEffect(arptablesCheckFact, check, present) : {}) },
  };
}

/**
 * Saves the rule set when the file says something else, and makes sure a unit restores it at boot.
 * Removing the last rule of lvsdr's own restore setup removes the file and the unit with it.
 */
function persistChanges(p: Persistence, tool: NetfilterTool, after: ArptablesRuleSet, removing: boolean, runtimeUnchanged: boolean, state: StateView, ctx: ModuleContext): Change[] | { fail: string } {
  const file = state.fact(fileFact, p.file);
  const content = knownContent(file);
  if (p.unit.own && removing && isEmptyRuleSet(after)) {
    return [...(file.exists ? [removeFileChange(`remove ${p.file} (no arptables rules left)`, p.file, file)] : []), ...removeOwnUnitChanges(p.unit.name, state, ctx.facts.systemdRunning)];
  }
  const changes: Change[] = [];
  const saved = content === null ? undefined : parseArptablesSave(content);
  // Removing a rule from a host that never saved any leaves nothing to persist.
  const nothingSaved = removing && !file.exists;
  if (!nothingSaved && (!saved || !sameArptablesRuleSet(saved, after))) {
    const why = !file.exists ? 'not saved yet' : runtimeUnchanged ? 'saved rules differ from the running ones' : 'rules changed';
    changes.push(saveOutputChange(`save arptables rules to ${p.file} (${why})`, tool.save, p.file, file, renderArptablesSave(after)));
  }
  // Removing a rule only updates what is saved; the restore unit is set up by adding rules.
  if (removing) return changes;
  if (p.unit.own) {
    if (!SAFE_UNIT_PATH.test(tool.restore)) return { fail: `cannot write ${tool.restore} into a unit file; set unit to a unit that restores ${p.file}` };
    changes.push(...ownUnitChanges(p.unit.name, arptablesRestoreUnit(tool.restore, p.file), state, ctx.facts.systemdRunning));
  } else {
    const unit = state.fact(unitFact, p.unit.name);
    if (!unit.exists) return { fail: `${p.unit.name}, which restores ${p.file} at boot, is not installed: ${p.unit.installHint}` };
    const enable = enableUnitChange(p.unit.name, unit);
    if (enable) changes.push(enable);
  }
  return changes;
}

export const arptablesModule: ModuleDef<ArptablesArgs> = {
  name: 'arptables',
  summary: 'An ARP rule (DROP for a VIP, or mangle its source) at runtime and saved for boot',
  schema,
  plan: planArptables,
};
