/**
 * One case per feature group: the arguments, what the rendering must say (keepalived's words for
 * it), and the real `keepalived --config-test` (Debian 12's keepalived 2.2.7, a local process, no
 * network) accepting the file without a word. keepalived is a package the CI installs
 * (src/lab/debian-packages.txt); without it these tests fail rather than skip.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderKeepalivedConfig } from '../../src/modules/keepalived-config.ts';
import { keepalivedConfigProblems } from '../../src/modules/keepalived-problems.ts';
import type { KeepalivedArgs, RealServer, VirtualServer } from '../../src/modules/keepalived-schema.ts';
import { keepalivedModule } from '../../src/modules/keepalived.ts';
import { checkArgsAgainst } from '../../src/core/playbook/args-schema.ts';

/** keepalived checks that a VRRP interface exists: use one this machine has. */
const iface = readdirSync('/sys/class/net').find((n) => n !== 'lo' && readFileSync(`/sys/class/net/${n}/operstate`, 'utf8').trim() === 'up') ?? 'lo';

function configTest(text: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'lvsdr-keepalived-features-'));
  try {
    const file = path.join(dir, 'keepalived.conf');
    writeFileSync(file, text);
    const r = spawnSync('keepalived', ['--config-test', '-f', file], { encoding: 'utf8', timeout: 20_000 });
    return { code: r.status, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const rs = (ip: string, over: Partial<RealServer> = {}): RealServer => ({ ip, ...over });
const vs = (over: Partial<VirtualServer>): VirtualServer => ({ vip: '198.18.0.100', port: 80, lvs_sched: 'wlc', real_servers: [rs('198.18.0.11'), rs('198.18.0.12')], ...over });
/** Scripts run as root only with script security on: what keepalived --config-test demands of a config with scripts. */
const scripts = { global_defs: { enable_script_security: true, script_user: 'root' } };

const cases: [string, KeepalivedArgs, string[]][] = [
  ['IPv4 service, TCP and UDP, every scheduler name keepalived writes', {
    virtual_servers: [vs({ lvs_sched: 'mh', 'mh-port': true }), vs({ protocol: 'UDP', lvs_sched: 'sh', 'sh-port': true, 'sh-fallback': true, ops: true })],
  }, ['virtual_server 198.18.0.100 80 {\n    protocol TCP\n    lvs_sched mh\n    lvs_method DR\n    mh-port\n', '    protocol UDP\n    lvs_sched sh\n    lvs_method DR\n    sh-port\n    sh-fallback\n    ops\n']],
  ['lb_algo and lb_kind as input, written as lvs_sched and lvs_method', {
    virtual_servers: [{ vip: '198.18.0.100', port: 80, lb_algo: 'rr', lb_kind: 'NAT', real_servers: [rs('198.18.0.11', { port: 8080 })] }],
  }, ['    lvs_sched rr\n    lvs_method NAT\n', 'real_server 198.18.0.11 8080 {']],
  ['fwmark service (no protocol: the mark chooses the traffic)', {
    virtual_servers: [{ fwmark: 1, lvs_sched: 'wlc', persistence_timeout: 600, real_servers: [rs('198.18.0.11'), rs('198.18.0.12')] }],
    fwmark_rules: [{ fwmark: 1, destination: '198.18.0.102', protocol: 'tcp', dport: 443 }],
  }, ['virtual_server fwmark 1 {\n    lvs_sched wlc\n    lvs_method DR\n    persistence_timeout 600\n', 'real_server 198.18.0.11 {']],
  ['virtual_server_group with addresses, a range and a mark', {
    virtual_server_groups: [{ name: 'web', members: ['198.18.0.100 80', '198.18.0.110-119 80', 'fwmark 3'] }],
    virtual_servers: [{ group: 'web', lvs_sched: 'rr', protocol: 'TCP', real_servers: [rs('198.18.0.11')] }],
    fwmark_rules: [{ fwmark: 3, destination: '198.18.0.120', protocol: 'tcp', dport: 80 }],
  }, ['virtual_server_group web {\n    198.18.0.100 80\n    198.18.0.110-119 80\n    fwmark 3\n}', 'virtual_server group web {', 'real_server 198.18.0.11 {']],
  ['persistence, quorum, hysteresis, quorum scripts, alpha, omega, inhibit_on_failure', {
    ...scripts,
    virtual_servers: [vs({ persistence_timeout: 300, persistence_granularity: '255.255.255.0', alpha: true, omega: true, quorum: 2, hysteresis: 1, quorum_up: '/bin/true up', quorum_down: '/bin/true', inhibit_on_failure: true })],
  }, ['    persistence_timeout 300\n    persistence_granularity 255.255.255.0\n    alpha\n    omega\n    quorum 2\n    hysteresis 1\n    quorum_up "/bin/true up"\n    quorum_down /bin/true\n    inhibit_on_failure\n']],
  ['sorry server, inhibited', {
    virtual_servers: [vs({ sorry_server: { ip: '198.18.0.50', port: 80 }, sorry_server_inhibit: true })],
  }, ['    sorry_server 198.18.0.50 80\n    sorry_server_inhibit\n']],
  ['real servers: weight 0, inhibit_on_failure, notify scripts, thresholds', {
    ...scripts,
    virtual_servers: [vs({ real_servers: [rs('198.18.0.11', { weight: 0, inhibit_on_failure: true, notify_up: '/bin/true up', notify_down: '/bin/true down', uthreshold: 1000, lthreshold: 100 }), rs('198.18.0.12', { weight: 5 })] })],
  }, ['    real_server 198.18.0.11 80 {\n        weight 0\n        inhibit_on_failure\n        notify_up "/bin/true up"\n        notify_down "/bin/true down"\n        uthreshold 1000\n        lthreshold 100\n    }']],
  ['TCP_CHECK and HTTP_GET with connection options, retries, warmup and several urls', {
    virtual_servers: [vs({ real_servers: [
      rs('198.18.0.11', { health_checks: [{ TCP_CHECK: { connect_ip: '198.18.0.111', connect_port: 8080, bindto: '198.18.0.2', connect_timeout: 2, retry: 3, delay_before_retry: 1, warmup: 5 } }] }),
      rs('198.18.0.12', { health_checks: [{ HTTP_GET: { connect_port: 8080, url: [{ path: '/healthz', status_code: 200, virtualhost: 'www.lab.example' }, { path: '/static/ok.txt', digest: '9b3a0c85a887a256d6939da88aabd8cd' }] } }] }),
    ] })],
  }, ['        TCP_CHECK {\n            connect_ip 198.18.0.111\n            connect_port 8080\n            bindto 198.18.0.2\n            connect_timeout 2\n            retry 3\n            delay_before_retry 1\n            warmup 5\n        }',
    '            url {\n                path /healthz\n                status_code 200\n                virtualhost www.lab.example\n            }\n            url {\n                path /static/ok.txt\n                digest 9b3a0c85a887a256d6939da88aabd8cd\n            }']],
  ['SSL_GET with SNI, MISC_CHECK, DNS_CHECK and UDP_CHECK', {
    ...scripts,
    virtual_servers: [
      vs({ port: 443, real_servers: [rs('198.18.0.11', { health_checks: [{ SSL_GET: { enable_sni: true, virtualhost: 'www.lab.example', url: [{ path: '/', status_code: 200 }] } }] }), rs('198.18.0.12', { health_checks: [{ MISC_CHECK: { misc_path: '/bin/true 198.18.0.12', misc_timeout: 5, misc_dynamic: true } }] })] }),
      vs({ port: 53, protocol: 'UDP', real_servers: [rs('198.18.0.11', { health_checks: [{ DNS_CHECK: { type: 'A', name: 'lab.example', retry: 2 } }] }), rs('198.18.0.12', { health_checks: [{ UDP_CHECK: { connect_timeout: 4 } }] })] }),
    ],
  }, ['        SSL_GET {\n            virtualhost www.lab.example\n            enable_sni\n', '        MISC_CHECK {\n            misc_path "/bin/true 198.18.0.12"\n            misc_timeout 5\n            misc_dynamic\n        }', '        DNS_CHECK {\n            retry 2\n            type A\n            name lab.example\n        }', '        UDP_CHECK {\n            connect_timeout 4\n        }']],
  ['IPv6 virtual, real and sorry servers', {
    virtual_servers: [{ vip: 'fd00::100', port: 80, lvs_sched: 'rr', persistence_timeout: 60, persistence_granularity: 64, sorry_server: { ip: 'fd00::50', port: 80 }, real_servers: [rs('fd00::11', { health_checks: [{ TCP_CHECK: { bindto: 'fd00::2' } }] }), rs('fd00::12')] }],
  }, ['virtual_server fd00::100 80 {', '    persistence_granularity 64\n', '    sorry_server fd00::50 80\n', 'real_server fd00::11 80 {']],
  ['VRRP: unicast, nopreempt, preempt_delay, track_interface, vrrp_script + track_script, notify, garp_master_delay, sync group', {
    ...scripts,
    vrrp_scripts: [{ name: 'chk_keepalived', script: '/bin/true', interval: 2, timeout: 1, weight: -20, rise: 2, fall: 2 }],
    vrrp_instances: [
      { name: 'VI_4', state: 'BACKUP', interface: iface, virtual_router_id: 51, priority: 100, advert_int: 1, auth_pass: 'lab-pass', nopreempt: true, garp_master_delay: 5, unicast_src_ip: '198.18.0.2', unicast_peer: ['198.18.0.3'], track_interface: ['lo'], track_script: ['chk_keepalived weight 0'], notify_master: '/bin/true master', notify: '/bin/true', virtual_ipaddress: ['198.18.0.100/32'] },
      { name: 'VI_P', state: 'BACKUP', interface: iface, virtual_router_id: 53, priority: 100, preempt_delay: 30, track_script: ['chk_keepalived'], virtual_ipaddress: ['198.18.0.101/32'] },
      { name: 'VI_6', state: 'BACKUP', interface: iface, virtual_router_id: 52, priority: 100, virtual_ipaddress: ['fd00::100/128'] },
    ],
    vrrp_sync_groups: [{ name: 'DIRECTOR', group: ['VI_4', 'VI_6'], notify_backup: '/bin/true backup' }],
    virtual_servers: [vs({})],
  }, ['vrrp_script chk_keepalived {\n    script /bin/true\n    interval 2\n    timeout 1\n    weight -20\n    rise 2\n    fall 2\n}',
    '    nopreempt\n    garp_master_delay 5\n    unicast_src_ip 198.18.0.2\n    unicast_peer {\n        198.18.0.3\n    }\n    track_interface {\n        lo\n    }\n',
    '    track_script {\n        chk_keepalived weight 0\n    }\n    notify_master "/bin/true master"\n    notify /bin/true\n', '    preempt_delay 30\n',
    'vrrp_instance VI_6 {', '        fd00::100/128\n', 'vrrp_sync_group DIRECTOR {\n    group {\n        VI_4\n        VI_6\n    }\n    notify_backup "/bin/true backup"\n}']],
  ['global_defs: router_id, lvs_sync_daemon, script security, vrrp_garp_*', {
    global_defs: { router_id: 'dir1', lvs_sync_daemon: `${iface} VI_4 id 5`, enable_script_security: true, script_user: 'root', vrrp_garp_master_delay: 5, vrrp_garp_master_repeat: 3, vrrp_garp_lower_prio_delay: 5, vrrp_garp_lower_prio_repeat: 2, vrrp_garp_master_refresh: 60, vrrp_garp_master_refresh_repeat: 2, vrrp_garp_interval: 0.001, vrrp_gna_interval: 0.001 },
    vrrp_instances: [{ name: 'VI_4', state: 'BACKUP', interface: iface, virtual_router_id: 51, priority: 100, virtual_ipaddress: ['198.18.0.100'] }],
    virtual_servers: [vs({})],
  }, [`global_defs {\n    router_id dir1\n    lvs_sync_daemon ${iface} VI_4 id 5\n    enable_script_security\n    script_user root\n    vrrp_garp_master_delay 5\n    vrrp_garp_master_repeat 3\n    vrrp_garp_lower_prio_delay 5\n    vrrp_garp_lower_prio_repeat 2\n    vrrp_garp_master_refresh 60\n    vrrp_garp_master_refresh_repeat 2\n    vrrp_garp_interval 0.001\n    vrrp_gna_interval 0.001\n}`]],
];

describe('every feature group: keepalived --config-test accepts what lvsdr writes for it', () => {
  it.each(cases)('%s', (_name, args, expected) => {
    const task = { argPositions: new Map(), argsPos: { file: 'test', line: 1, col: 1 }, noLog: false };
    expect(checkArgsAgainst(keepalivedModule, task, args)).toEqual([]);
    expect(keepalivedConfigProblems(args)).toEqual([]);
    const text = renderKeepalivedConfig(args);
    for (const snippet of expected) expect(text).toContain(snippet);
    const r = configTest(text);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('keepalived --config-test agrees with what lvsdr refuses', () => {
  it.each<[string, KeepalivedArgs, RegExp]>([
    ['quorum above the weights', { virtual_servers: [vs({ quorum: 5 })] }, /quorum 5 .* exceeds total weight of real servers 2/],
    ['a real server port on a fwmark service', { virtual_servers: [{ fwmark: 1, lvs_sched: 'rr', real_servers: [rs('198.18.0.11', { port: 80 })] }] }, /real server \[198\.18\.0\.11\]:none:80 has port specified - clearing/],
    ['preempt_delay with nopreempt, its own interface tracked', { vrrp_instances: [{ name: 'VI_1', interface: iface, virtual_router_id: 51, nopreempt: true, preempt_delay: 5, track_interface: [iface], virtual_ipaddress: ['198.18.0.100'] }], virtual_servers: [vs({})] }, /preempt_delay is incompatible with nopreempt[^]*Ignoring track_interface/],
    ['a weighted track_script in a sync group', { ...scripts, vrrp_scripts: [{ name: 'chk', script: '/bin/true', weight: -20 }], vrrp_instances: [{ name: 'VI_1', interface: iface, virtual_router_id: 51, track_script: ['chk'], virtual_ipaddress: ['198.18.0.100'] }], vrrp_sync_groups: [{ name: 'G', group: ['VI_1'] }], virtual_servers: [vs({})] }, /ignoring tracked script chk with weights due to SYNC group/],
    ['IPv4 and IPv6 in one VRRP instance', { vrrp_instances: [{ name: 'VI_1', interface: iface, virtual_router_id: 51, virtual_ipaddress: ['198.18.0.100', 'fd00::100'] }], virtual_servers: [vs({})] }, /address family must match VRRP instance/],
  ])('%s', (_name, args, keepalivedSays) => {
    expect(keepalivedConfigProblems(args)).not.toEqual([]);
    const r = configTest(renderKeepalivedConfig(args));
    expect(r.stderr).toMatch(keepalivedSays);
    expect(r.code).not.toBe(0);
  });
});
