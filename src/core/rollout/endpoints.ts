/**
 * Where a real server serves, as the director sees it: its address and the VIP ports it takes part
 * in, read from the inventory the same way the shipped playbooks read them (`lvs_real_ip` or
 * `ansible_host`; `lvs_vips`), templates rendered with the host's inventory variables.
 */
import type { Inventory } from '../inventory/types.ts';
import { renderValue } from '../templating.ts';

export interface VipPort {
  vip: string;
  port: number;
  protocol: 'tcp' | 'udp';
  /** UDP: the datagram a probe sends, in hex (`lvs_vips[].udp_payload`), for a service that answers only its own protocol. */
  payload?: string;
  /** The director's `virtual_server fwmark N` that takes this VIP port's traffic, if any. */
  fwmark?: number;
}

export interface RealServerEndpoint {
  host: string;
  ip: string;
  services: VipPort[];
}

export function realServerEndpoint(inventory: Inventory, host: string): RealServerEndpoint {
  const vars = inventory.hosts.get(host)?.vars ?? {};
  const ip = String(renderValue(vars.lvs_real_ip ?? vars.ansible_host ?? host, vars));
  const vips = (renderValue(vars.lvs_vips ?? [], vars) as { vip: string; ports?: number[]; protocol?: string; udp_payload?: string; fwmark?: number }[]) ?? [];
  const services = vips.flatMap((v) =>
    (v.ports ?? []).map((port): VipPort => {
      const base = { vip: String(v.vip), port: Number(port), ...(v.fwmark !== undefined ? { fwmark: Number(v.fwmark) } : {}) };
      return v.protocol === 'udp' ? { ...base, protocol: 'udp', ...(v.udp_payload ? { payload: String(v.udp_payload) } : {}) } : { ...base, protocol: 'tcp' };
    }),
  );
  return { host, ip, services };
}
