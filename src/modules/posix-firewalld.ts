/**
 * ansible.posix.firewalld (bare `firewalld`, which Ansible routes there) with its arguments and
 * meaning (plugins/modules/firewalld.py, module_utils/firewalld.py): one zone setting — `port`,
 * `service`, `rich_rule`, `source`, `interface` or `masquerade` — enabled or disabled in the runtime
 * configuration (`immediate`, the default when neither is given) and/or the permanent one
 * (`permanent`), each read and changed on its own as lvsdr's firewalld_port does (the same state
 * keys), never by a reload. Without a running firewalld the permanent configuration is changed
 * offline, and immediate changes fail, as in Ansible.
 */
import { ansibleBool, boolSchema, type AnsibleBool } from './ansible-args.ts';
import { ansibleIntSchema } from './ansible-values.ts';
import { FIREWALLD_UNIT, firewalldSettingPermanentFact, firewalldSettingRuntimeFact, type ZoneSetting } from '../facts/firewalld.ts';
import { unitFact } from '../facts/unit.ts';
import { settingCommand, settingEffect, type Configuration } from './firewalld-setting.ts';
import type { Change, ModuleDef, Plan, StateView } from './types.ts';

interface PosixFirewalldArgs {
  port?: string;
  service?: string;
  rich_rule?: string;
  source?: string;
  interface?: string;
  masquerade?: AnsibleBool;
  zone?: string;
  permanent?: AnsibleBool;
  immediate?: AnsibleBool;
  state: 'enabled' | 'disabled' | 'present' | 'absent';
  timeout?: number | string;
  offline?: AnsibleBool;
}

const SETTINGS = ['port', 'service', 'rich_rule', 'source', 'interface', 'masquerade'] as const;

/** Ansible's arguments lvsdr does not take, and why. */
const REFUSED: Record<string, string> = {
  icmp_block: 'icmp_block is not supported',
  icmp_block_inversion: 'icmp_block_inversion is not supported',
  protocol: 'protocol is not supported',
  port_forward: 'port_forward is not supported',
  target: 'target is not supported (a zone target needs a reload to take effect)',
};

const text = { type: 'string', pattern: '^[^\\n\\0]+$' };

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['state'],
  properties: {
    port: { anyOf: [{ type: 'string', pattern: '^\\s*[0-9]{1,5}(-[0-9]{1,5})?/[a-z]+\\s*$' }, { type: 'string', pattern: '^\\s*[0-9]{1,5}(-[0-9]{1,5})?\\s*$' }] },
    service: text,
    rich_rule: text,
    source: text,
    interface: { type: 'string', pattern: '^[a-zA-Z0-9_.@:-]{1,15}$' },
    masquerade: { anyOf: [boolSchema, { type: 'string' }] },
    zone: { type: 'string', pattern: '^[A-Za-z0-9_+-]{1,17}$' },
    permanent: boolSchema,
    immediate: boolSchema,
    state: { enum: ['enabled', 'disabled', 'present', 'absent'] },
    timeout: ansibleIntSchema(0),
    offline: boolSchema,
    ...Object.fromEntries(Object.entries(REFUSED).map(([k, why]) => [k, { description: why }])),
  },
};

function given(a: PosixFirewalldArgs): (typeof SETTINGS)[number][] {
  return SETTINGS.filter((k) => a[k] !== undefined);
}

/** The setting the task names, and whether it is wanted on (masquerade: false with enabled turns it off, as in Ansible). */
function settingOf(a: PosixFirewalldArgs): { setting: ZoneSetting; on: boolean } {
  const which = given(a)[0];
  const enabled = a.state === 'enabled';
  if (which === 'masquerade') {
    // The module reads a masquerade word it cannot make a boolean as true.
    let wanted = true;
    try {
      wanted = ansibleBool(a.masquerade as AnsibleBool) ?? true;
    } catch {
      wanted = true;
    }
    return { setting: { kind: 'masquerade', zone: a.zone }, on: enabled === wanted };
  }
  const kind = which === 'rich_rule' ? 'rich-rule' : which;
  const value = which === 'port' ? a.port!.trim() : String(a[which]);
  return { setting: { kind, value, zone: a.zone }, on: enabled };
}

function plan(a: PosixFirewalldArgs, state: StateView): Plan {
  const { setting, on } = settingOf(a);
  const permanentWanted = ansibleBool(a.permanent) ?? false;
  const immediate = (ansibleBool(a.immediate) ?? false) || !permanentWanted;
  const probed = state.fact(firewalldSettingRuntimeFact, setting);
  const permanent = state.fact(firewalldSettingPermanentFact, setting);
  // An earlier task of a check run that starts firewalld leaves the runtime as the permanent configuration.
  const willRun = state.fact(unitFact, FIREWALLD_UNIT).active === true;
  const runtime = probed ?? (willRun ? permanent : null);
  if (immediate && runtime === null) return { kind: 'fail', message: 'firewall is not currently running, unable to perform immediate actions without a running firewall daemon' };
  const shown = `${setting.kind}${setting.value !== undefined ? ` ${setting.value}` : ''} in ${setting.zone ? `zone ${setting.zone}` : 'the default zone'}`;
  const changes: Change[] = [];
  const change = (which: Configuration): Change => ({
    summary: `${on ? 'enable' : 'disable'} ${shown} (${which})`,
    commands: [{ command: settingCommand(setting, which, on, runtime !== null), touches: ['firewalld:*'] }],
    effects: settingEffect(setting, which, on),
  });
  if (permanentWanted && permanent !== on) changes.push(change('permanent'));
  if (immediate && runtime !== on) changes.push(change('runtime'));
  if (changes.length > 0) return { kind: 'change', changes };
  const where = [...(permanentWanted ? ['permanent'] : []), ...(immediate ? ['runtime'] : [])].join(' and ');
  return { kind: 'noop', reason: `${shown} already ${on ? 'enabled' : 'disabled'} (${where})` };
}

export const posixFirewalldModule: ModuleDef<PosixFirewalldArgs> = {
  name: 'ansible.posix.firewalld',
  summary: 'a port, service, rich rule, source, interface or masquerade of a firewalld zone, as ansible.posix.firewalld',
  schema,
  argProblems(a) {
    const problems = Object.keys(REFUSED).filter((k) => k in a).map((k) => ({ path: `/${k}`, message: REFUSED[k] }));
    const settings = given(a);
    if (settings.length > 1) problems.push({ path: `/${settings[1]}`, message: `parameters are mutually exclusive: ${settings.join('|')}` });
    if (settings.length === 0 && problems.length === 0) {
      problems.push({ path: '', message: `one of ${SETTINGS.join(', ')} is needed: zone-level operations (state present/absent without them) are not supported` });
    } else if (a.state === 'present' || a.state === 'absent') {
      problems.push({ path: '/state', message: 'absent and present state can only be used in zone level operations' });
    }
    if (a.interface !== undefined && a.zone === undefined) problems.push({ path: '/interface', message: 'missing parameter(s) required by \'interface\': zone' });
    if (a.source !== undefined && a.permanent === undefined) problems.push({ path: '/source', message: 'missing parameter(s) required by \'source\': permanent' });
    if (a.port !== undefined && !a.port.includes('/')) problems.push({ path: '/port', message: 'improper port format (missing protocol?)' });
    if (a.timeout !== undefined && Number(a.timeout) !== 0) problems.push({ path: '/timeout', message: 'timeout is not supported: a setting that expires would make every later run a change' });
    return problems;
  },
  plan,
};
