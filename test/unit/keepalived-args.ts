/** Module arguments shared by the keepalived tests: a director pair's VRRP and two virtual servers. */
import type { KeepalivedArgs } from '../../src/modules/keepalived-schema.ts';

export function fullArgs(iface = 'eth0'): KeepalivedArgs {
  return {
    global_defs: { router_id: 'director1' },
    vrrp_instances: [{ name: 'VI_LVS', state: 'MASTER', interface: iface, virtual_router_id: 51, priority: 150, advert_int: 1, auth_pass: 's3cret', virtual_ipaddress: ['198.18.0.100/32', '198.18.0.99'] }],
    virtual_servers: [
      {
        vip: '198.18.0.100', port: 443, protocol: 'TCP', lvs_sched: 'sh', persistence_timeout: 300, delay_loop: 6,
        real_servers: [{ ip: '198.18.0.12', health_checks: [{ TCP_CHECK: { connect_timeout: 2, retry: 3, delay_before_retry: 1 } }] }, { ip: '198.18.0.11', weight: 0, health_checks: [{ TCP_CHECK: {} }] }],
      },
      {
        vip: '198.18.0.100', port: 80, lb_algo: 'wrr', delay_loop: 5,
        real_servers: [{ ip: '198.18.0.10', weight: 3, health_checks: [{ HTTP_GET: { url: [{ path: '/healthz', status_code: 204 }], connect_timeout: 3 } }] }, { ip: '198.18.0.9', port: 80, health_checks: [{ TCP_CHECK: { connect_timeout: 3 } }] }],
      },
    ],
  };
}

export const minimalArgs = (): KeepalivedArgs => ({
  virtual_servers: [{ vip: '198.18.0.100', port: 80, lvs_sched: 'rr', real_servers: [{ ip: '198.18.0.11' }] }],
});
