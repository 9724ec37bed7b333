/** lvsdr's boot unit for one VIP. */

export const vipUnitName = (address: string): string => `lvsdr-vip-${address}.service`;

/**
 * Every unit that can restore ARP suppression (or a REDIRECT rule) at boot, on either family;
 * ordering after a unit that does not exist is a no-op, so one list serves every host.
 */
const ARP_SUPPRESSION_UNITS = [
  'systemd-sysctl.service',
  'arptables.service',
  'lvsdr-arptables-restore.service',
  'firewalld.service',
  'iptables.service',
  'netfilter-persistent.service',
];

export interface VipUnitArgs {
  cidr: string;
  device: string;
  label?: string;
  guardUnit?: string;
}

/** The values are schema-checked (an address, interface names), so they go into the unit unquoted. */
export function vipUnit(v: VipUnitArgs): string {
  const after = [...ARP_SUPPRESSION_UNITS, ...(v.guardUnit && !ARP_SUPPRESSION_UNITS.includes(v.guardUnit) ? [v.guardUnit] : []), 'network.target'];
  return `# Written by lvsdr: brings up the LVS-DR VIP ${v.cidr} on ${v.device} at boot.
[Unit]
Description=LVS-DR VIP ${v.cidr} on ${v.device} (lvsdr)
# Only once ARP suppression is restored: a real server holding the VIP while it still answers ARP
# for it takes the VIP's traffic away from the director.
After=${after.join(' ')}

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/sbin/ip addr replace ${v.cidr} dev ${v.device}${v.label ? ` label ${v.label}` : ''}
ExecStop=-/sbin/ip addr del ${v.cidr} dev ${v.device}

[Install]
WantedBy=multi-user.target
`;
}
