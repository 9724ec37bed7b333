import { describe, expect, it } from 'vitest';
import { factKey, factProbe } from '../../src/facts/fact.ts';
import { FIREWALLD_UNIT, firewalldSettingPermanentFact, firewalldSettingRuntimeFact, type ZoneSetting } from '../../src/facts/firewalld.ts';
import { keysRead } from '../support/fact-state.ts';
import { firewalldPortModule, type FirewalldPortArgs } from '../../src/modules/firewalld-port.ts';
import { serviceKey } from '../support/fact-keys.ts';
import { commandsOf, ctxFor, HOSTILE, stateOf, summaries, validator } from './lvs-helpers.ts';

const HTTP: FirewalldPortArgs = { port: 80 };
const port = (a: FirewalldPortArgs): ZoneSetting => ({ kind: 'port', zone: a.zone, value: `${a.port}/${a.protocol ?? 'tcp'}` });
const runtimeProbe = factProbe(firewalldSettingRuntimeFact, port(HTTP));
const permanentProbe = factProbe(firewalldSettingPermanentFact, port(HTTP));
const plan = (args: FirewalldPortArgs, runtime: boolean | null, permanent: boolean, active: boolean | null = true) =>
  firewalldPortModule.plan(args, stateOf({
    [factKey(firewalldSettingRuntimeFact, port(args))]: runtime,
    [factKey(firewalldSettingPermanentFact, port(args))]: permanent,
    [serviceKey(FIREWALLD_UNIT)]: { exists: true, enabled: true, active },
  }), ctxFor('RedHat'));

describe('firewalld_port module', () => {
  it('probes runtime (null when stopped) and permanent (offline when stopped)', () => {
    expect(keysRead(firewalldPortModule, HTTP, ctxFor('RedHat'))).toEqual([runtimeProbe.key, permanentProbe.key, serviceKey(FIREWALLD_UNIT)].sort());
    expect(runtimeProbe.command.text).toBe('if { systemctl is-active --quiet firewalld 2>/dev/null || pgrep -x firewalld >/dev/null 2>&1; }; then firewall-cmd --query-port=80/tcp; else echo stopped; fi');
    expect(runtimeProbe.parse({ code: 0, stdout: 'stopped\n', stderr: '' })).toBeNull();
    expect(runtimeProbe.parse({ code: 1, stdout: 'no\n', stderr: '' })).toBe(false);
    expect(permanentProbe.parse({ code: 0, stdout: 'yes\n', stderr: '' })).toBe(true);
    expect(() => permanentProbe.parse({ code: 2, stdout: '', stderr: 'Error: INVALID_ZONE' })).toThrow(/unexpected answer/);
  });

  it('opens the port where it is closed, runtime and permanent separately', () => {
    expect(commandsOf(plan(HTTP, false, false))).toEqual(['firewall-cmd --permanent --add-port=80/tcp', 'firewall-cmd --add-port=80/tcp']);
    expect(summaries(plan({ port: 53, protocol: 'udp', zone: 'dmz' }, false, true))).toEqual(['add port 53/udp in zone dmz (runtime)']);
    expect(commandsOf(plan({ port: 53, protocol: 'udp', zone: 'dmz' }, false, true))).toEqual(['firewall-cmd --zone=dmz --add-port=53/udp']);
    expect(plan(HTTP, true, true)).toEqual({ kind: 'noop', reason: 'port 80/tcp open in the default zone (runtime and permanent)' });
  });

  it('stopped firewalld: fails, unless an earlier task starts it (then runtime = permanent)', () => {
    expect(plan(HTTP, null, false, false)).toMatchObject({ kind: 'fail', message: expect.stringMatching(/firewalld is not running/) });
    expect(commandsOf(plan(HTTP, null, false, true))).toEqual(['firewall-cmd --permanent --add-port=80/tcp', 'firewall-cmd --add-port=80/tcp']);
    expect(plan(HTTP, null, true, true).kind).toBe('noop');
  });

  it('absent closes it, offline when firewalld is stopped', () => {
    expect(commandsOf(plan({ ...HTTP, state: 'absent' }, true, true))).toEqual(['firewall-cmd --permanent --remove-port=80/tcp', 'firewall-cmd --remove-port=80/tcp']);
    expect(commandsOf(plan({ ...HTTP, state: 'absent' }, null, true, false))).toEqual(['firewall-offline-cmd --remove-port=80/tcp']);
  });

  it('schema refuses hostile zones and bad ports', () => {
    const valid = validator(firewalldPortModule);
    expect(valid({ port: 80, protocol: 'tcp', zone: 'public' })).toBe(true);
    for (const h of HOSTILE) expect(valid({ port: 80, zone: h })).toBe(false);
    expect(valid({ port: 70000 })).toBe(false);
    expect(valid({ port: '80/tcp' })).toBe(false);
  });
});
