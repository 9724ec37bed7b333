/** Shared table-test scaffolding for the LVS module tests (lvs-*.test.ts). */
import { keysRead } from '../support/fact-state.ts';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { HostFacts } from '../../src/facts/types.ts';
import { fileKey, type RemoteFile } from '../../src/modules/remote-file.ts';
import type { ServiceState } from '../../src/modules/unit-state.ts';
import type { Change, ModuleContext, ModuleDef, Plan } from '../../src/modules/types.ts';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

/** Strict ajv (bar required-in-if/then): a schema keyword typo fails the test instead of being ignored. */
export function validator(module: ModuleDef): (args: unknown) => boolean {
  const v = addFormats(new Ajv({ allErrors: true, strict: true, strictRequired: false })).compile(module.schema);
  return (args) => v(args) as boolean;
}

/** Values that would run something if they reached a shell unquoted, or end a line in a file. */
export const HOSTILE = ['1.2.3.4; touch /tmp/pwned', '$(id)', '1.2.3.4\n', '`id`', "1' && id '"];
/** Extra rule words smuggled in as an address. */
export const SMUGGLED = '1.2.3.4 -j ACCEPT';

export function factsFor(osFamily: 'Debian' | 'RedHat', over: Partial<HostFacts> = {}): HostFacts {
  return {
    hostname: 'rs1',
    osFamily,
    distribution: osFamily === 'Debian' ? 'debian' : 'rocky',
    distributionVersion: osFamily === 'Debian' ? '12' : '9',
    systemdRunning: true,
    interfaces: [],
    defaultInterface: 'eth0',
    defaultIpv4: '198.18.0.11',
    tools: {
      arptables: { path: '/usr/sbin/arptables', variant: 'nft' },
      arptablesSave: { path: '/usr/sbin/arptables-save' },
      iptables: { path: '/usr/sbin/iptables', variant: 'nft' },
      iptablesSave: { path: '/usr/sbin/iptables-save' },
      firewallCmd: { path: '/usr/bin/firewall-cmd' },
    },
    ...over,
  };
}

export const ctxFor = (osFamily: 'Debian' | 'RedHat', over: Partial<HostFacts> = {}): ModuleContext => ({
  facts: factsFor(osFamily, over),
  vars: {},
  playbookDir: '/nonexistent',
  searchDirs: [],
  taskDir: '/nonexistent',
  renderTemplate: (t) => t,
});

export { stateOf } from '../support/fact-state.ts';

export const absent: RemoteFile = { exists: false };

export const regular = (content: string, mode = '644'): RemoteFile => ({
  exists: true, type: 'regular file', mode, owner: 'root', group: 'root', size: content.length, content,
});

export const files = (entries: Record<string, RemoteFile>): Record<string, RemoteFile> =>
  Object.fromEntries(Object.entries(entries).map(([p, f]) => [fileKey(p), f]));

export const unit = (enabled: boolean, exists = true): ServiceState => ({ exists, enabled, active: exists ? enabled : false });

export const changesOf = (p: Plan): Change[] => {
  if (p.kind !== 'change') throw new Error(`expected changes, got ${JSON.stringify(p)}`);
  return p.changes;
};
export const summaries = (p: Plan): string[] => changesOf(p).map((c) => c.summary);
export const commandsOf = (p: Plan): string[] => changesOf(p).flatMap((c) => c.commands.map((x) => x.command.text));

/** Every effect of a plan merged over the state it was planned on: the would-be state. */
export function applyEffects(values: Record<string, unknown>, p: Plan): Record<string, unknown> {
  return p.kind === 'change' ? Object.assign({}, values, ...p.changes.map((c) => c.effects)) : values;
}

/** The state keys a module reads (with nothing known yet), so tests notice a plan reading one it should not. */
export const probeKeys = (module: ModuleDef, args: unknown, ctx: ModuleContext): string[] => keysRead(module, args, ctx);
