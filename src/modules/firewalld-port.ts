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
import { FIREWALLD_RUNNING, FIREWALLD_UNIT } from './firewalld-direct.ts';
import { interfaceSchema, portSchema, stateSchema, type PresentAbsent } from './lvs-schema.ts';
import { serviceKey, unitProbe, type ServiceState } from './lvs-state.ts';
import type { Change, ModuleContext, ModuleDef, Plan, Probe, StateView } from './types.ts';

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
const zoneWords = (a: FirewalldPortArgs): ShellText => (a.zone ? sh` --zone=${a.zone}` : new ShellText(''));
const runtimeKey = (a: FirewalldPortArgs) => `firewalld:port:runtime:${a.zone ?? '(default)'}:${portSpec(a)}`;
const permanentKey = (a: FirewalldPortArgs) => `firewalld:port:permanent:${a.zone ?? '(default)'}:${portSpec(a)}`;

function yesNo(stdout: string, what: string): boolean {
  const answer = stdout.trim().split('\n').at(-1);
  if (answer === 'yes') return true;
  if (answer === 'no') return false;
  throw new Error(`${what}: unexpected answer ${JSON.stringify(stdout.trim())}`);
}

export function firewalldPortProbes(args: FirewalldPortArgs): Probe[] {
  const query = sh`${zoneWords(args)} --query-port=${portSpec(args)}`;
  return [
    unitProbe(FIREWALLD_UNIT),
    {
      // null: firewalld is stopped, so there is no runtime configuration.
      key: runtimeKey(args),
      command: sh`if ${FIREWALLD_RUNNING}; then firewall-cmd${query}; else echo stopped; fi`,
      parse: (r) => (r.stdout.trim() === 'stopped' ? null : yesNo(r.stdout, 'firewall-cmd --query-port')),
    },
    {
      key: permanentKey(args),
      command: sh`if ${FIREWALLD_RUNNING}; then firewall-cmd --permanent${query}; else firewall-offline-cmd${query} 2>/dev/null; fi`,
      parse: (r) => yesNo(r.stdout, 'firewall-cmd --permanent --query-port'),
    },
  ];
}

export function planFirewalldPort(args: FirewalldPortArgs, state: StateView, _ctx: ModuleContext): Plan {
  const spec = portSpec(args);
  const where = args.zone ? `zone ${args.zone}` : 'the default zone';
  const permanent = state.get<boolean>(permanentKey(args));
  const probedRuntime = state.get<boolean | null>(runtimeKey(args));
  const willRun = state.get<ServiceState>(serviceKey(FIREWALLD_UNIT)).active === true;
  const runtime = probedRuntime ?? (willRun ? permanent : null);
  const open = (args.state ?? 'present') === 'present';
  const op = open ? 'add' : 'remove';
  const changes: Change[] = [];
  const change = (which: 'permanent' | 'runtime', command: ShellText, value: boolean): Change => ({
    summary: `${op} port ${spec} in ${where} (${which})`,
    commands: [{ command }],
    effects: { [which === 'permanent' ? permanentKey(args) : runtimeKey(args)]: value },
  });

  if (runtime === null && open) return { kind: 'fail', message: `firewalld is not running, so port ${spec} cannot be opened; start it first (the firewalld_direct task does)` };
  if (permanent !== open) {
    const tool = runtime === null ? sh`firewall-offline-cmd` : sh`firewall-cmd --permanent`;
    changes.push(change('permanent', sh`${tool}${zoneWords(args)} --${new ShellText(op)}-port=${spec}`, open));
  }
  if (runtime !== null && runtime !== open) {
    changes.push(change('runtime', sh`firewall-cmd${zoneWords(args)} --${new ShellText(op)}-port=${spec}`, open));
  }
  if (changes.length > 0) return { kind: 'change', changes };
  return { kind: 'noop', reason: `port ${spec} ${open ? 'open' : 'closed'} in ${where} (runtime and permanent)` };
}

export const firewalldPortModule: ModuleDef<FirewalldPortArgs> = {
  name: 'firewalld_port',
  summary: 'A port open (or closed) in a firewalld zone, runtime and permanent',
  schema,
  probes: firewalldPortProbes,
  plan: planFirewalldPort,
};
