/**
 * `firewalld_port`: a port open in a firewalld zone, runtime and permanent, each checked and
 * changed separately (no reload, which would drop runtime-only settings). The REDIRECT method
 * needs it: a redirected packet still passes the zone's INPUT filtering on the service's port.
 *
 * It does not start firewalld. When firewalld is stopped but an earlier task will have started it
 * (the service state says so, e.g. the firewalld_direct task's effect in check mode), its runtime
 * configuration is taken to be the permanent one, as it is right after a start.
 */
import { sh, ShellText } from '../shell/quote.ts';
import { factEffect } from '../facts/fact.ts';
import { FIREWALLD_UNIT, firewalldPortPermanentFact, firewalldPortRuntimeFact, zoneWords } from '../facts/firewalld.ts';
import { unitFact } from '../facts/unit.ts';
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

const portSpec = (a: FirewalldPortArgs) => `${a.port}/${a.protocol ?? 'tcp'}`;

export function planFirewalldPort(args: FirewalldPortArgs, state: StateView, _ctx: ModuleContext): Plan {
  const spec = portSpec(args);
  const where = args.zone ? `zone ${args.zone}` : 'the default zone';
  const port = { zone: args.zone, port: spec };
  const permanent = state.fact(firewalldPortPermanentFact, port);
  const probedRuntime = state.fact(firewalldPortRuntimeFact, port);
  const willRun = state.fact(unitFact, FIREWALLD_UNIT).active === true;
  const runtime = probedRuntime ?? (willRun ? permanent : null);
  const open = (args.state ?? 'present') === 'present';
  const op = open ? 'add' : 'remove';
  const changes: Change[] = [];
  const change = (which: 'permanent' | 'runtime', command: ShellText, value: boolean): Change => ({
    summary: `${op} port ${spec} in ${where} (${which})`,
    commands: [{ command }],
    effects: which === 'permanent' ? factEffect(firewalldPortPermanentFact, port, value) : factEffect(firewalldPortRuntimeFact, port, value),
  });

  if (runtime === null && open) return { kind: 'fail', message: `firewalld is not running, so port ${spec} cannot be opened; start it first (the firewalld_direct task does)` };
  if (permanent !== open) {
    const tool = runtime === null ? sh`firewall-offline-cmd` : sh`firewall-cmd --permanent`;
    changes.push(change('permanent', sh`${tool}${zoneWords(args.zone)} --${new ShellText(op)}-port=${spec}`, open));
  }
  if (runtime !== null && runtime !== open) {
    changes.push(change('runtime', sh`firewall-cmd${zoneWords(args.zone)} --${new ShellText(op)}-port=${spec}`, open));
  }
  if (changes.length > 0) return { kind: 'change', changes };
  return { kind: 'noop', reason: `port ${spec} ${open ? 'open' : 'closed'} in ${where} (runtime and permanent)` };
}

export const firewalldPortModule: ModuleDef<FirewalldPortArgs> = {
  name: 'firewalld_port',
  summary: 'A port open (or closed) in a firewalld zone, runtime and permanent',
  schema,
  plan: planFirewalldPort,
};
