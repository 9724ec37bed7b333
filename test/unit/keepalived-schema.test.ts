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

  it('names every lb_algo when a typo is given', () => {
    expect(errorsOf(withValue('virtual_servers.0.lb_algo', 'wrrr'))).toEqual([
      '/virtual_servers/0/lb_algo: must be equal to one of the allowed values ["rr","wrr","lc","wlc","lblc","sh","dh","sed","nq"]',
    ]);
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
    ['virtual_servers.0.lb_kind', 'NAT'],
    ['virtual_servers.0.real_servers.0.weight', -1],
    ['virtual_servers.0.real_servers.0.health_check.type', 'SMTP_CHECK'],
    ['virtual_servers.1.real_servers.0.health_check.path', '/x } real_server 10.0.0.1 22 {'],
    ['virtual_servers.1.real_servers.0.health_check.path', 'healthz'],
    ['virtual_servers.0.real_servers', []],
    ['vrrp.state', 'master'],
    ['vrrp.virtual_router_id', 256],
    ['vrrp.priority', 255],
    ['vrrp.interface', 'eth0; reboot'],
    ['vrrp.name', 'VI 1'],
    ['vrrp.auth_pass', 'longer-than-8'],
    ['vrrp.auth_pass', 'a#b'],
    ['vrrp.auth_pass', '$SECRET'],
    ['vrrp.virtual_ipaddresses', ['198.18.0.100', '198.18.0.100']],
    ['vrrp.virtual_ipaddresses', ['198.18.0.100/33']],
    ['global_defs.router_id', 'id\n}'],
    ['path', 'relative/keepalived.conf'],
    ['path', '/etc/keepalived/$(id).conf'],
    ['state', 'restarted'],
  ])('refuses %s = %j', (path, value) => {
    expect(errorsOf(withValue(path, value))).not.toEqual([]);
  });

  it('requires a path for HTTP_GET and refuses unknown keys', () => {
    expect(errorsOf(withValue('virtual_servers.1.real_servers.0.health_check', { type: 'HTTP_GET' }))).toContain(
      "/virtual_servers/1/real_servers/0/health_check: must have required property 'path'",
    );
    expect(errorsOf(withValue('virtual_servers.0.lb_algorithm', 'rr'))).toContain('/virtual_servers/0: must NOT have additional properties');
  });

  it('allows weight 0 (a server being added or drained)', () => {
    expect(errorsOf(withValue('virtual_servers.0.real_servers.0.weight', 0))).toEqual([]);
  });
});
