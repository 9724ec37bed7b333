import { describe, expect, it } from 'vitest';
import { factKey } from '../../src/facts/fact.ts';
import { firewalldSettingPermanentFact, firewalldSettingRuntimeFact, type ZoneSetting } from '../../src/facts/firewalld.ts';
import { firewalldPortModule } from '../../src/modules/firewalld-port.ts';
import { probesRead } from '../support/fact-state.ts';
import { serviceKey } from '../support/fact-keys.ts';
import { posixFirewalldModule } from '../../src/modules/posix-firewalld.ts';
import { getModule } from '../../src/modules/registry.ts';
import { applyEffects, commandsOf, ctxFor, stateOf, unit } from './lvs-helpers.ts';

type Args = Parameters<typeof posixFirewalldModule.plan>[0];
const ctx = ctxFor('RedHat');
const plan = (a: Args, values: Record<string, unknown>) => posixFirewalldModule.plan(a, stateOf(values), ctx);
const problems = (a: Record<string, unknown>) => posixFirewalldModule.argProblems!(a as unknown as Args).map((p) => p.message);

/** The state of one setting: runtime (null: firewalld stopped) and permanent. */
function values(kind: ZoneSetting, runtime: boolean | null, permanent: boolean, running = runtime !== null): Record<string, unknown> {
  return { [factKey(firewalldSettingRuntimeFact, kind)]: runtime, [factKey(firewalldSettingPermanentFact, kind)]: permanent, [serviceKey('firewalld')]: unit(running) };
}

describe('ansible.posix.firewalld', () => {
  it('bare firewalld is ansible.posix.firewalld', () => {
    expect(getModule('firewalld')).toBe(posixFirewalldModule);
  });

  it('a port: the same state keys and probes as firewalld_port; immediate only when neither is given', () => {
    const port = { kind: 'port', value: '80/tcp', zone: 'public' } as const;
    expect(probesRead(posixFirewalldModule, { port: '80/tcp', zone: 'public', state: 'enabled' }, ctx).map((p) => p.command.text).sort()).toEqual(
      probesRead(firewalldPortModule, { port: 80, zone: 'public' }, ctx).map((p) => p.command.text).sort(),
    );
    const p = plan({ port: '80/tcp', zone: 'public', state: 'enabled' }, values(port, false, false));
    expect(commandsOf(p)).toEqual(['firewall-cmd --zone=public --add-port=80/tcp']);
    const both = plan({ port: '80/tcp', zone: 'public', state: 'enabled', permanent: 'yes', immediate: true }, values(port, false, false));
    expect(commandsOf(both)).toEqual(['firewall-cmd --permanent --zone=public --add-port=80/tcp', 'firewall-cmd --zone=public --add-port=80/tcp']);
    expect(plan({ port: '80/tcp', zone: 'public', state: 'enabled', permanent: true, immediate: true }, applyEffects(values(port, false, false), both)).kind).toBe('noop');
  });

  it('firewalld stopped: permanent changes go offline; immediate ones fail as in Ansible', () => {
    const http = { kind: 'service', value: 'http' } as const;
    expect(commandsOf(plan({ service: 'http', permanent: true, state: 'enabled' }, values(http, null, false)))).toEqual(['firewall-offline-cmd --add-service=http']);
    expect(plan({ service: 'http', state: 'enabled' }, values(http, null, false))).toEqual({ kind: 'fail', message: 'firewall is not currently running, unable to perform immediate actions without a running firewall daemon' });
  });

  it('rich rules, sources, interfaces (moved from another zone) and masquerade (false with enabled turns it off)', () => {
    const rule = 'rule family="ipv4" source address="198.18.0.250" accept';
    expect(commandsOf(plan({ rich_rule: rule, state: 'disabled', permanent: true }, values({ kind: 'rich-rule', value: rule }, true, true)))).toEqual([
      `firewall-cmd --permanent --remove-rich-rule='${rule}'`,
    ]);
    expect(commandsOf(plan({ interface: 'eth1', zone: 'internal', state: 'enabled', permanent: true }, values({ kind: 'interface', value: 'eth1', zone: 'internal' }, null, false)))).toEqual([
      'firewall-offline-cmd --zone=internal --change-interface=eth1',
    ]);
    const masq = { kind: 'masquerade', zone: 'dmz' } as const;
    expect(commandsOf(plan({ masquerade: false, zone: 'dmz', state: 'enabled' }, values(masq, true, true)))).toEqual(['firewall-cmd --zone=dmz --remove-masquerade']);
    expect(plan({ masquerade: 'yes', zone: 'dmz', state: 'enabled' }, values(masq, true, true)).kind).toBe('noop');
  });

  it('refuses what Ansible refuses and what lvsdr does not do, by name', () => {
    expect(problems({ port: '80', state: 'enabled' })).toEqual(['improper port format (missing protocol?)']);
    expect(problems({ port: '80/tcp', service: 'http', state: 'enabled' })).toEqual(['parameters are mutually exclusive: port|service']);
    expect(problems({ port: '80/tcp', state: 'present' })).toEqual(['absent and present state can only be used in zone level operations']);
    expect(problems({ zone: 'custom', state: 'present' })).toEqual([expect.stringMatching(/zone-level operations/)]);
    expect(problems({ interface: 'eth1', state: 'enabled' })).toEqual(["missing parameter(s) required by 'interface': zone"]);
    expect(problems({ source: '10.0.0.0/8', state: 'enabled' })).toEqual(["missing parameter(s) required by 'source': permanent"]);
    expect(problems({ target: 'DROP', zone: 'public', state: 'enabled' })).toEqual([expect.stringMatching(/^target is not supported/)]);
    expect(problems({ service: 'http', timeout: 60, state: 'enabled' })).toEqual([expect.stringMatching(/^timeout is not supported/)]);
  });
});
