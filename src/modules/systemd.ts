/**
 * systemd / systemd_service (and service, which Ansible runs as systemd on a systemd host): a unit
 * masked or unmasked, enabled or disabled, started, stopped, restarted or reloaded, with Ansible's
 * arguments, aliases and meaning (ansible/modules/systemd.py): masking first, then enablement, then
 * the active state; `daemon_reload` and `daemon_reexec` run first and are not changes of their own.
 * Only the system manager (`scope: system`) is managed.
 */
import { sh, type ShellText } from '../shell/quote.ts';
import { aliasProblems, ansibleBool, boolSchema, withoutAliases, type AnsibleBool } from './ansible-args.ts';
import { fileFact } from '../facts/file.ts';
import { unitFact } from '../facts/unit.ts';
import type { Change, ModuleContext, ModuleDef, Plan, RemoteCommand, StateView } from './types.ts';
import { ENABLE_TOUCHES, localUnitPath, RELOAD_TOUCHES, serviceKey, unitShowFact, type ServiceState } from './unit-state.ts';

type UnitState = 'started' | 'stopped' | 'restarted' | 'reloaded';

/** The arguments as written: aliases and boolean words allowed. */
export interface SystemdArgs {
  name?: string;
  service?: string;
  unit?: string;
  state?: UnitState;
  enabled?: AnsibleBool;
  masked?: AnsibleBool;
  daemon_reload?: AnsibleBool;
  'daemon-reload'?: AnsibleBool;
  daemon_reexec?: AnsibleBool;
  'daemon-reexec'?: AnsibleBool;
  scope?: 'system';
}

const ALIASES = { service: 'name', unit: 'name', 'daemon-reload': 'daemon_reload', 'daemon-reexec': 'daemon_reexec' };

/** The arguments as planned on: one name for each, booleans as booleans. */
interface UnitArgs {
  name?: string;
  state?: UnitState;
  enabled?: boolean;
  masked?: boolean;
  daemonReload: boolean;
  daemonReexec: boolean;
}

function unitArgs(written: SystemdArgs): UnitArgs {
  const a = withoutAliases(written, ALIASES);
  return {
    name: a.name,
    state: a.state,
    enabled: ansibleBool(a.enabled),
    masked: ansibleBool(a.masked),
    daemonReload: ansibleBool(a.daemon_reload) ?? false,
    daemonReexec: ansibleBool(a.daemon_reexec) ?? false,
  };
}

/** Unit names as systemctl takes them; no glob characters, which Ansible refuses too. */
const nameSchema = { type: 'string', pattern: '^[A-Za-z0-9@_.:\\\\-]{1,256}$' };

const schema = {
  type: 'object',
  properties: {
    name: nameSchema,
    service: nameSchema,
    unit: nameSchema,
    state: { enum: ['started', 'stopped', 'restarted', 'reloaded'] },
    enabled: boolSchema,
    masked: boolSchema,
    daemon_reload: boolSchema,
    'daemon-reload': boolSchema,
    daemon_reexec: boolSchema,
    'daemon-reexec': boolSchema,
    scope: { enum: ['system'], description: "user and global scopes (systemctl --user/--global) are not supported" },
  },
  anyOf: ['state', 'enabled', 'masked', 'daemon_reload', 'daemon-reload', 'daemon_reexec', 'daemon-reexec'].map((k) => ({ required: [k] })),
  additionalProperties: false,
};

/** Ansible's required_by: state, enabled and masked name a unit. */
function argProblems(written: SystemdArgs): { path: string; message: string }[] {
  const problems = aliasProblems(written, ALIASES);
  const a = withoutAliases(written, ALIASES);
  if (a.name === undefined) {
    for (const k of ['state', 'enabled', 'masked'] as const) {
      if (a[k] !== undefined) problems.push({ path: `/${k}`, message: `'${k}' needs 'name' (or its aliases service, unit): which unit?` });
    }
  }
  return problems;
}

/** `systemctl is-enabled` exits 0 for these; Ansible then counts a unit enabled, unless it is only `indirect` or `alias`. */
const ANSIBLE_ENABLED = ['enabled', 'enabled-runtime', 'static', 'generated', 'transient'];

const isEnabled = (s: ServiceState): boolean => (s.unitFileState === undefined ? s.enabled : ANSIBLE_ENABLED.includes(s.unitFileState));
const isMasked = (s: ServiceState): boolean => s.unitFileState === 'masked';
/** Ansible's is_running_service: active or activating (a unit that is reloading is neither). */
const isRunning = (s: ServiceState): boolean => (s.activeState === undefined ? s.active === true : ['active', 'activating'].includes(s.activeState));

/**
 * The unit as read, or as an earlier task's unit file makes it (check mode: a unit file written by
 * an earlier task exists only in the would-be state).
 */
function currentState(name: string, state: StateView): ServiceState {
  const probed = state.fact(unitFact, name);
  const unitFile = state.fact(fileFact, localUnitPath(name));
  if (probed.exists || !unitFile.exists) return probed;
  return { exists: true, enabled: false, active: probed.active === null ? null : false, unitFileState: 'disabled', activeState: probed.active === null ? 'offline' : 'inactive' };
}

function managerCommands(args: UnitArgs, running: boolean): { commands: RemoteCommand[] } | { fail: string } {
  const wanted = [...(args.daemonReload ? ['daemon-reload'] : []), ...(args.daemonReexec ? ['daemon-reexec'] : [])];
  if (wanted.length > 0 && !running) return { fail: `systemd is not running on this host, so systemctl ${wanted.join(' and ')} cannot run` };
  return { commands: wanted.map((w) => ({ command: sh`systemctl ${w}`, touches: RELOAD_TOUCHES })) };
}

export function planUnit(written: SystemdArgs, state: StateView, ctx: ModuleContext): Plan {
  const args = unitArgs(written);
  const running = ctx.facts.systemdRunning;
  const manager = managerCommands(args, running);
  if ('fail' in manager) return { kind: 'fail', message: manager.fail };
  const first = manager.commands;
  const name = args.name;
  if (name === undefined) {
    return { kind: 'action', summary: first.map((c) => c.command.text).join('; '), commands: first, countsAsChange: false };
  }
  const current = currentState(name, state);
  const status = state.fact(unitShowFact, name);
  const missing = `Could not find the requested service ${name}: host`;
  const changes: Change[] = [];
  let after: ServiceState = current;
  const result: Record<string, unknown> = { name, status };

  if (args.masked !== undefined && args.masked !== isMasked(current)) {
    const action = args.masked ? 'mask' : 'unmask';
    after = args.masked
      ? { ...after, exists: true, enabled: false, unitFileState: 'masked' }
      : // What an unmasked unit's file state is depends on its file; `disabled` is the usual answer.
        { ...after, unitFileState: 'disabled' };
    changes.push(unitChange(`${action} ${name}`, sh`systemctl ${action} ${name}`, ENABLE_TOUCHES, { name: `${name} masked`, before: String(!args.masked), after: String(args.masked) }));
  }
  if (args.enabled !== undefined) {
    if (!current.exists) return { kind: 'fail', message: missing };
    const enabled = isEnabled(after);
    result.enabled = args.enabled;
    if (enabled !== args.enabled) {
      const action = args.enabled ? 'enable' : 'disable';
      after = { ...after, enabled: args.enabled, unitFileState: args.enabled ? 'enabled' : 'disabled' };
      changes.push(unitChange(`${action} ${name}`, sh`systemctl ${action} ${name}`, ENABLE_TOUCHES, { name: `${name} enabled`, before: String(enabled), after: String(args.enabled) }));
    }
  }
  if (args.state !== undefined) {
    if (!current.exists) return { kind: 'fail', message: missing };
    if (!running) return { kind: 'fail', message: `systemd is not running on this host, so ${name} cannot be ${args.state}` };
    const action = stateAction(args.state, current);
    result.state = args.state === 'stopped' ? 'stopped' : 'started';
    if (action) {
      const active = action !== 'stop';
      after = { ...after, active, activeState: active ? 'active' : 'inactive' };
      // A start or stop can pull in or stop other units: every unit is read again after it.
      changes.push(unitChange(`${action} ${name}`, sh`systemctl ${action} ${name}`, undefined, { name: `${name} active`, before: String(isRunning(current)), after: String(active) }));
    }
  }
  if (changes.length === 0) {
    const reason = `${name} is already ${describe(current)}`;
    if (first.length === 0) return { kind: 'noop', reason, result };
    return { kind: 'action', summary: `${first.map((c) => c.command.text).join('; ')} (${reason})`, commands: first, countsAsChange: false, result };
  }
  changes[0] = { ...changes[0], commands: [...first, ...changes[0].commands] };
  changes[changes.length - 1].effects = { [serviceKey(name)]: after };
  return { kind: 'change', changes, result };
}

function unitChange(summary: string, command: ShellText, touches: readonly string[] | undefined, diff: { name: string; before: string; after: string }): Change {
  return { summary, commands: [{ command, ...(touches ? { touches } : {}) }], diff: { kind: 'value', ...diff }, effects: {} };
}

/** Ansible's choice: restarted and reloaded act on a running unit and start a stopped one; stopped also stops one deactivating. */
function stateAction(state: UnitState, s: ServiceState): string | undefined {
  const running = isRunning(s);
  if (state === 'started') return running ? undefined : 'start';
  if (state === 'stopped') return running || s.activeState === 'deactivating' ? 'stop' : undefined;
  if (!running) return 'start';
  return state === 'restarted' ? 'restart' : 'reload';
}

function describe(s: ServiceState): string {
  const file = isMasked(s) ? 'masked' : isEnabled(s) ? 'enabled' : 'disabled';
  return `${file}${s.active === null ? '' : isRunning(s) ? ' and active' : ' and inactive'}`;
}

/** One definition under each of Ansible's names for it. */
export function unitModule(name: string, summary: string): ModuleDef<SystemdArgs> {
  return { name, summary, schema, argProblems, plan: planUnit };
}

export const systemdModule = unitModule('systemd', 'mask, enable and start/stop/restart/reload a systemd unit (Ansible arguments)');
export const systemdServiceModule = unitModule('systemd_service', 'the same as systemd, under its newer name');
