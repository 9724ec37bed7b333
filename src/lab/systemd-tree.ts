/**
 * Files a systemd host gets: the unit that turns nspawn's `host0` into `eth0` with the lab address
 * before systemd-sysctl.service (so per-interface sysctls in /etc/sysctl.d apply at every boot), a
 * plain root shell, and masks for machine services a test host must not run.
 */
import type { HostPlan } from './lab-names.ts';
import { IPV6_PREFIX_LENGTH, hostCidr } from './lab-names.ts';
import type { HostTree } from './host-tree.ts';
import { enableUnit, maskUnit } from './host-tree.ts';
import { LAB_ETC, PLAIN_BASHRC } from './host-base-tree.ts';

/** Units of this machine that a lab host does not need; systemd-logind stays (poweroff needs it). */
const MASKED_UNITS = [
  // A controller with avahi (a desktop; Debian's chromium and ansible pull it in) would have every
  // lab host announce itself by mDNS from each address, the VIP's too: multicast a director then sees.
  'avahi-daemon.service',
  'avahi-daemon.socket',
  'postgresql.service',
  'getty@tty1.service',
  'console-getty.service',
  'apt-daily.timer',
  'apt-daily-upgrade.timer',
  'dpkg-db-backup.timer',
  'e2scrub_all.timer',
  'e2scrub_reap.service',
  'fstrim.timer',
  'man-db.timer',
  'systemd-timesyncd.service',
  'systemd-pstore.service',
  'systemd-networkd.service',
  'systemd-networkd.socket',
  'systemd-networkd-wait-online.service',
  'systemd-resolved.service',
  'cron.service',
  // ipvsadm's restore unit: this kernel has no IPVS (the director uses the lab's stand-in)
  'ipvsadm.service',
];

/** Installed and available to enable, but not started at boot: firewalld is an ARP method to opt into. */
const DISABLED_UNITS = ['firewalld.service', 'keepalived.service'];

/** `vip6`: the director's IPv6 VIP, in a lab made with --ipv6. */
export function systemdTree(host: HostPlan, vip: string, vip6?: string): HostTree {
  const director = host.role === 'director' && !host.vrrp;
  const setup = [
    '#!/bin/sh',
    '# lvsdr lab: nspawn gives a fresh network namespace with host0 at every boot.',
    'set -e',
    'ip link set lo up',
    'if ip link show host0 >/dev/null 2>&1; then ip link set host0 down; ip link set host0 name eth0; fi',
    `ip addr replace ${hostCidr(host)} dev eth0`,
    // a director of a pair gets the VIP from VRRP when it is the master
    ...(director ? [`ip addr replace ${vip}/32 dev eth0`] : []),
    // IPv6 (a lab made with --ipv6): nodad, so the address works at once (the lab's addresses are unique by construction)
    ...(host.address6 ? [`ip -6 addr replace ${host.address6}/${IPV6_PREFIX_LENGTH} dev eth0 nodad`] : []),
    // the IPv6 VIP deprecated (preferred_lft 0, as keepalived adds one), so never a source address:
    // from it, a health check or a neighbour solicitation to a real server holding it on lo goes unanswered
    ...(host.address6 && director && vip6 ? [`ip -6 addr replace ${vip6}/128 dev eth0 nodad preferred_lft 0`] : []),
    'ip link set eth0 up',
    // a two-NIC director's back NIC (nspawn's extra veth, eth1) on the real servers' segment
    ...(host.back ? [`ip addr replace ${hostCidr(host.back)} dev eth1`, 'ip link set eth1 up'] : []),
    ...(host.routes ?? []).map((r) => `ip route replace ${r.to} via ${r.via} dev eth0`),
    '',
  ].join('\n');
  const netUnit = `[Unit]
Description=lvsdr lab network: host0 becomes eth0 with the lab address
DefaultDependencies=no
Before=systemd-sysctl.service network-pre.target sysinit.target
Wants=network-pre.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/etc/lvsdr-lab/net-setup.sh
# Seen once in CI: spawning failed at its cgroup step ("No such file or directory"); a retry boots.
Restart=on-failure
RestartSec=1

[Install]
WantedBy=sysinit.target
`;
  // sshd exits 255 when its ListenAddress is not up yet, which Debian's unit does not retry.
  const sshRetry = '[Service]\nRestartPreventExitStatus=\nRestart=on-failure\nRestartSec=1\n';
  return {
    files: [
      { path: `${LAB_ETC}/net-setup.sh`, content: setup, mode: 0o755 },
      { path: 'etc/systemd/system/lvsdr-lab-net.service', content: netUnit },
      { path: 'etc/systemd/system/ssh.service.d/lvsdr-lab-retry.conf', content: sshRetry },
      { path: 'root/.bashrc', content: PLAIN_BASHRC },
      // root's user manager stays up, instead of starting (about 1 s) for each SSH login
      { path: 'var/lib/systemd/linger/root', content: '' },
    ],
    links: [
      ...MASKED_UNITS.map(maskUnit),
      enableUnit('lvsdr-lab-net.service', 'sysinit.target'),
    ],
    removals: [
      ...DISABLED_UNITS.map((u) => `etc/systemd/system/multi-user.target.wants/${u}`),
      // firewalld's D-Bus alias: `systemctl disable firewalld` removes it too
      'etc/systemd/system/dbus-org.fedoraproject.FirewallD1.service',
    ],
  };
}
