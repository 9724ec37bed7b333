import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { keepalivedSchema } from '../../src/modules/keepalived-schema.ts';
import { fullArgs, minimalArgs } from './keepalived-args.ts';

// The executor checks module arguments with ajv and ajv-formats set up like this.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;
const validate = addFormats(new Ajv({ allErrors: true, strict: false })).compile(keepalivedSchema);

/** ajv's complaints as `path: message` lines, or [] when the arguments are accepted. */
function errorsOf(args: unknown): string[] {
  return validate(args) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message}${e.keyword === 'enum' ? ` ${JSON.stringify(e.params.allowedValues)}` : ''}`);
}

/** fullArgs() with one value replaced, addressed by a path like `virtual_servers.0.lb_algo`. */
function withValue(path: string, value: unknown): unknown {
  const args = JSON.parse(JSON.stringify(fullArgs()));
  const keys = path.split('.');
  let cur = args;
  for (const k of keys.slice(0, -1)) cur = cur[k];
  cur[keys.at(-1)!] = value;
  return args;
}

describe('keepalived arguments', () => {
  it('accepts the full and the minimal form', () => {
    expect(errorsOf(fullArgs())).toEqual([]);
    expect(errorsOf(minimalArgs())).toEqual([]);
    expect(errorsOf({ ...minimalArgs(), path: '/tmp/k.conf', state: 'started' })).toEqual([]);
  });

  it('names every scheduler when a typo is given, under either name', () => {
    const all = '["rr","wrr","lc","wlc","lblc","lblcr","dh","sh","mh","sed","nq","fo","ovf","twos"]';
    expect(errorsOf(withValue('virtual_servers.0.lvs_sched', 'wrrr'))).toEqual([`/virtual_servers/0/lvs_sched: must be equal to one of the allowed values ${all}`]);
    expect(errorsOf(withValue('virtual_servers.1.lb_algo', 'wrrr'))).toEqual([`/virtual_servers/1/lb_algo: must be equal to one of the allowed values ${all}`]);
  });

  it('takes lb_algo and lb_kind as the older names of lvs_sched and lvs_method, and a scheduler is required', () => {
    expect(errorsOf({ virtual_servers: [{ vip: '198.18.0.1', port: 80, lb_algo: 'rr', lb_kind: 'NAT', real_servers: [{ ip: '198.18.0.11' }] }] })).toEqual([]);
    expect(errorsOf({ virtual_servers: [{ vip: '198.18.0.1', port: 80, real_servers: [{ ip: '198.18.0.11' }] }] })).toContain("/virtual_servers/0: must have required property 'lvs_sched'");
  });

  it('names a service by vip and port, fwmark or group — exactly one', () => {
    const rs = [{ ip: '198.18.0.11' }];
    expect(errorsOf({ virtual_servers: [{ fwmark: 1, lvs_sched: 'rr', real_servers: rs }, { group: 'web', lvs_sched: 'rr', real_servers: rs }] })).toEqual([]);
    expect(errorsOf({ virtual_servers: [{ fwmark: 1, vip: '198.18.0.1', port: 80, lvs_sched: 'rr', real_servers: rs }] })).toContain('/virtual_servers/0: must match exactly one schema in oneOf');
    expect(errorsOf({ virtual_servers: [{ vip: '198.18.0.1', lvs_sched: 'rr', real_servers: rs }] })).toContain('/virtual_servers/0: must have property port when property vip is present');
  });

  it('takes IPv6 addresses wherever keepalived does', () => {
    const args = { virtual_servers: [{ vip: 'fd00::100', port: 80, lvs_sched: 'rr', sorry_server: { ip: 'fd00::99', port: 80 }, real_servers: [{ ip: 'fd00::11', health_checks: [{ TCP_CHECK: { bindto: 'fd00::2' } }] }] }], vrrp_instances: [{ name: 'VI_6', interface: 'eth0', virtual_router_id: 52, virtual_ipaddress: ['fd00::100/128'], unicast_peer: ['fd00::3'] }] };
    expect(errorsOf(args)).toEqual([]);
  });

  it.each([
    ['virtual_servers.0.vip', '1.2.3.4; touch /tmp/pwned'],
    ['virtual_servers.0.vip', '198.18.0.256'],
    ['virtual_servers.0.vip', '198.18.0.1\nvirtual_server 10.0.0.1 22 {'],
    ['virtual_servers.0.real_servers.0.ip', '1.2.3.4; touch /tmp/pwned'],
    ['virtual_servers.0.real_servers.0.ip', 'rs1.example'],
    ['virtual_servers.0.port', 0],
    ['virtual_servers.0.port', '80'],
    ['virtual_servers.0.protocol', 'SCTP'],
    ['virtual_servers.0.lvs_method', 'FNAT'],
    ['virtual_servers.0.real_servers.0.weight', -1],
    ['virtual_servers.0.real_servers.0.health_checks.0', { SMTP_CHECK: {} }],
    ['virtual_servers.0.real_servers.0.health_checks.0', { TCP_CHECK: {}, HTTP_GET: {} }],
    ['virtual_servers.0.real_servers.0.health_checks.0', { TCP_CHECK: { url: [{ path: '/' }] } }],
    ['virtual_servers.0.real_servers.0.health_checks.0', { MISC_CHECK: { connect_port: 80 } }],
    ['virtual_servers.0.real_servers.0.health_checks.0', { MISC_CHECK: { misc_path: '/bin/check "x"' } }],
    ['virtual_servers.0.real_servers.0.health_checks.0', { MISC_CHECK: { misc_path: '/bin/check # x' } }],
    ['virtual_servers.0.real_servers.0.health_checks.0', { DNS_CHECK: { type: 'PTR' } }],
    ['virtual_servers.0.real_servers.0.notify_up', 'relative.sh'],
    ['virtual_servers.0.real_servers.0.notify_up', '/bin/x ${NAME}'],
    ['virtual_servers.1.real_servers.0.health_checks.0.HTTP_GET.url.0.path', '/x } real_server 10.0.0.1 22 {'],
    ['virtual_servers.1.real_servers.0.health_checks.0.HTTP_GET.url.0.path', 'healthz'],
    ['virtual_servers.1.real_servers.0.health_checks.0.HTTP_GET.url.0.digest', 'not-a-digest'],
    ['virtual_servers.0.real_servers', []],
    ['virtual_servers.0.sorry_server', { ip: '198.18.0.50', port: 80, weight: 1 }],
    ['virtual_servers.0.persistence_granularity', '255.255.255.0/24'],
    ['virtual_servers.0.fwmark', 0],
    ['vrrp_instances.0.state', 'master'],
    ['vrrp_instances.0.virtual_router_id', 256],
    ['vrrp_instances.0.priority', 255],
    ['vrrp_instances.0.interface', 'eth0; reboot'],
    ['vrrp_instances.0.name', 'VI 1'],
    ['vrrp_instances.0.auth_pass', 'longer-than-8'],
    ['vrrp_instances.0.auth_pass', 'a#b'],
    ['vrrp_instances.0.auth_pass', '$SECRET'],
    ['vrrp_instances.0.virtual_ipaddress', ['198.18.0.100', '198.18.0.100']],
    ['vrrp_instances.0.virtual_ipaddress', ['198.18.0.100/33']],
    ['vrrp_instances.0.unicast_peer', ['peer1']],
    ['vrrp_instances.0.track_script', ['chk weight 1000x']],
    ['vrrp_instances.0.garp_master_delay', -1],
    ['vrrp_instances.0.debug', 1],
    ['global_defs.script_user', 'root; id'],
    ['global_defs.lvs_sync_daemon', 'eth0 VI_1 id 5 speed 9'],
    ['global_defs.vrrp_garp_interval', 2],
    ['global_defs.smtp_alert', true],
    ['global_defs.router_id', 'id\n}'],
    ['path', 'relative/keepalived.conf'],
    ['path', '/etc/keepalived/$(id).conf'],
    ['state', 'restarted'],
  ])('refuses %s = %j', (path, value) => {
    expect(errorsOf(withValue(path, value))).not.toEqual([]);
  });

  it('refuses unknown keys, a checker option of another checker among them', () => {
    expect(errorsOf(withValue('virtual_servers.0.lb_algorithm', 'rr'))).toContain('/virtual_servers/0: must NOT have additional properties');
    expect(errorsOf(withValue('virtual_servers.0.real_servers.0.health_checks.0', { TCP_CHECK: { enable_sni: true } }))).toContain('/virtual_servers/0/real_servers/0/health_checks/0/TCP_CHECK: must NOT have additional properties');
  });

  it('allows weight 0 (a server being added or drained)', () => {
    expect(errorsOf(withValue('virtual_servers.0.real_servers.0.weight', 0))).toEqual([]);
  });
});
