/**
 * `firewalld_port`: a port open in a firewalld zone, runtime and permanent, each checked and
 * changed separately (no reload, which would drop runtime-only settings). The REDIRECT method
 * needs it: a redirected packet still passes the zone's INPUT filtering on the service's port.
 *
 * It does not start firewalld. When firewalld is stopped but an earlier task will have started it
 * (the service state says so, e.g. the firewalld_direct task's effect in check mode), its runtime
 * configuration is taken to be the permanent one, as it is right after a start.
 */
import { FIREWALLD_UNIT, firewalldSettingPermanentFact, firewalldSettingRuntimeFact, type ZoneSetting } from '../facts/firewalld.ts';
import { unitFact } from '../facts/unit.ts';
import { settingCommand, settingEffect } from './firewalld-setting.ts';
import { interfaceSchema, portSchema, stateSchema, type PresentAbsent } from './lvs-schema.ts';
import type { Change, ModuleContext, ModuleDef, Plan, StateView } from './types.ts';

export interface FirewalldPortArgs {
  port: number;
  protocol?: 'tcp' | 'udp';
  /** Default: firewalld's default zone. */
  zone?: string;
  state?: PresentAbsent;
}

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['port'],
  properties: {
    port: portSchema,
    protocol: { enum: ['tcp', 'udp'], default: 'tcp' },
    zone: { ...interfaceSchema, description: "Default: firewalld's default zone." },
    state: stateSchema,
  },
};

const settingOf = (a: FirewalldPortArgs): ZoneSetting => ({ kind: 'port', value: `${a.port}/${a.protocol ?? 'tcp'}`, zone: a.zone });

export function planFirewalldPort(args: FirewalldPortArgs, state: StateView, _ctx: ModuleContext): Plan {
  const setting = settingOf(args);
  const spec = setting.value;
  const where = args.zone ? `zone ${args.zone}` : 'the default zone';
  const permanent = state.fact(firewalldSettingPermanentFact, setting);
  const probedRuntime = state.fact(firewalldSettingRuntimeFact, setting);
  const willRun = state.fact(unitFact, FIREWALLD_UNIT).active === true;
  const runtime = probedRuntime ?? (willRun ? permanent : null);
  const open = (args.state ?? 'present') === 'present';
  const op = open ? 'add' : 'remove';
  const changes: Change[] = [];
  const change = (which: 'permanent' | 'runtime'): Change => ({
    summary: `${op} port ${spec} in ${where} (${which})`,
    commands: [{ command: settingCommand(setting, which, open, runtime !== null) }],
    effects: settingEffect(setting, which, open),
  });

  if (runtime === null && open) return { kind: 'fail', message: `firewalld is not running, so port ${spec} cannot be opened; start it first (the firewalld_direct task does)` };
  if (permanent !== open) changes.push(change('permanent'));
  if (runtime !== null && runtime !== open) changes.push(change('runtime'));
  if (changes.length > 0) return { kind: 'change', changes };
  return { kind: 'noop', reason: `port ${spec} ${open ? 'open' : 'closed'} in ${where} (runtime and permanent)` };
}

export const firewalldPortModule: ModuleDef<FirewalldPortArgs> = {
  name: 'firewalld_port',
  summary: 'A port open (or closed) in a firewalld zone, runtime and permanent',
  schema,
  plan: planFirewalldPort,
};
