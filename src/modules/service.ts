/**
 * service: a systemd unit enabled/disabled and started/stopped/restarted/reloaded. Enabling works
 * on a host where systemd is not running (it only makes symlinks); starting there is refused.
 */
import type { ExecResult } from '../connection/types.ts';
import { sh } from '../shell/quote.ts';
import { fileKey, fileProbe, type RemoteFile } from './remote-file.ts';
import { SHARED_READS, unitFileName } from './shared-reads.ts';
import type { Change, ModuleDef, Plan } from './types.ts';

interface ServiceArgs {
  name: string;
  state?: 'started' | 'stopped' | 'restarted' | 'reloaded';
  enabled?: boolean;
  daemon_reload?: boolean;
}

export interface ServiceState {
  /** False when systemd knows no unit file of that name. */
  exists: boolean;
  enabled: boolean;
  /** null when systemd is not running, so nothing is active or inactive. */
  active: boolean | null;
}

export const serviceKey = (name: string): string => `service:${name}`;

/** What `systemctl enable`/`disable` can change (RemoteCommand.touches): units, and their links. */
export const ENABLE_TOUCHES = ['service:*', fileKey('/etc/systemd/system')];
/** What `systemctl daemon-reload` can change: what systemd knows of every unit. */
export const RELOAD_TOUCHES = ['service:*'];

/** Where an administrator's (or a copy task's) unit file for `name` lives. */
export function localUnitPath(name: string): string {
  return `/etc/systemd/system/${unitFileName(name)}`;
}

/**
 * `static`, `indirect` and `generated` units cannot be enabled by hand; counting them as enabled
 * keeps `enabled: true` from planning a change that `systemctl enable` would not make.
 */
const ENABLED_STATES = ['enabled', 'enabled-runtime', 'alias', 'static', 'indirect', 'generated'];
const ACTIVE_STATES = ['active', 'activating', 'reloading'];

export function parseServiceState(r: ExecResult): ServiceState {
  const [enabledLine = '', activeLine = ''] = r.stdout.split('\n').map((l) => l.trim());
  const active = activeLine === 'offline' ? null : ACTIVE_STATES.includes(activeLine);
  return {
    exists: enabledLine !== 'not-found' || active === true,
    enabled: ENABLED_STATES.includes(enabledLine),
    active,
  };
}

export const serviceModule: ModuleDef<ServiceArgs> = {
  name: 'service',
  summary: 'enable/disable and start/stop/restart/reload a systemd unit',
  schema: {
    type: 'object',
    properties: {
      name: { type: 'string', pattern: '^[A-Za-z0-9@_.:-]{1,200}$' },
      state: { enum: ['started', 'stopped', 'restarted', 'reloaded'] },
      enabled: { type: 'boolean' },
      daemon_reload: { type: 'boolean' },
    },
    required: ['name'],
    anyOf: [{ required: ['state'] }, { required: ['enabled'] }, { required: ['daemon_reload'] }],
    additionalProperties: false,
  },
  probes: (args) => [
    {
      key: serviceKey(args.name),
      command: SHARED_READS.units.command([args.name]),
      shared: { kind: 'units', arg: args.name },
      parse: parseServiceState,
    },
    // In check mode a unit file written by an earlier task exists only in the would-be state.
    fileProbe(localUnitPath(args.name)),
  ],
  plan(args, state, ctx): Plan {
    const probed = state.get<ServiceState>(serviceKey(args.name));
    const unitFile = state.get<RemoteFile>(fileKey(localUnitPath(args.name)));
    const current = !probed.exists && unitFile.exists ? { exists: true, enabled: false, active: probed.active === null ? null : false } : probed;
    const running = ctx.facts.systemdRunning;
    const changes: Change[] = [];
    const after = { ...current };
    if (args.daemon_reload && running) {
      changes.push({ summary: 'systemctl daemon-reload', commands: [{ command: sh`systemctl daemon-reload`, touches: RELOAD_TOUCHES }], effects: {} });
    }
    if (!current.exists && !args.daemon_reload) {
      return { kind: 'fail', message: `no systemd unit named ${args.name} on this host` };
    }
    if (args.enabled !== undefined && args.enabled !== current.enabled) {
      after.enabled = args.enabled;
      changes.push({
        summary: `${args.enabled ? 'enable' : 'disable'} ${args.name}`,
        commands: [{ command: args.enabled ? sh`systemctl enable ${args.name}` : sh`systemctl disable ${args.name}`, touches: ENABLE_TOUCHES }],
        diff: { kind: 'value', name: `${args.name} enabled`, before: String(current.enabled), after: String(args.enabled) },
        effects: {},
      });
    }
    if (args.state) {
      if (!running) return { kind: 'fail', message: `systemd is not running on this host, so ${args.name} cannot be ${args.state}` };
      const action = stateAction(args.state, current.active === true);
      if (action) {
        after.active = args.state !== 'stopped';
        changes.push({
          summary: `${action} ${args.name}`,
          commands: [{ command: sh`systemctl ${action} ${args.name}` }],
          diff: { kind: 'value', name: `${args.name} active`, before: String(current.active), after: String(after.active) },
          effects: {},
        });
      }
    }
    if (changes.length === 0) {
      return { kind: 'noop', reason: `${args.name} is already ${describe(current)}` };
    }
    changes[changes.length - 1].effects = { [serviceKey(args.name)]: after };
    return { kind: 'change', changes };
  },
};

/** restarted/reloaded always act (like Ansible); started/stopped only when the unit is not so already. */
function stateAction(state: NonNullable<ServiceArgs['state']>, active: boolean): string | undefined {
  if (state === 'restarted') return 'restart';
  if (state === 'reloaded') return active ? 'reload' : 'start';
  if (state === 'started') return active ? undefined : 'start';
  return active ? 'stop' : undefined;
}

function describe(s: ServiceState): string {
  return `${s.enabled ? 'enabled' : 'disabled'}${s.active === null ? '' : s.active ? ' and active' : ' and inactive'}`;
}
