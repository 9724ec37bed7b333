/**
 * Flavor `el`: an EMULATION of the RHEL 7 layout for everything lvsdr touches, on the machine's
 * Debian userland. A host gets an /etc/os-release with `ID="rhel"`, /etc/redhat-release,
 * /etc/sysconfig/, and `iptables.service` / `arptables.service` units that restore
 * /etc/sysconfig/iptables and /etc/sysconfig/arptables at boot through helpers at RHEL's paths
 * (/usr/libexec/iptables/iptables.init, /usr/libexec/arptables-helper), disabled until enabled as
 * on RHEL. Debian's netfilter-persistent is masked (RHEL has none). What is NOT emulated: yum/rpm,
 * network-scripts, SELinux, and arptables_jf's IN/OUT chain names (the binaries are Debian's).
 *
 * The units use ConditionPathExists where RHEL's iptables.service asserts the file: the RPM ships a
 * default /etc/sysconfig/iptables that rejects everything but SSH, which the lab does not copy.
 */
import type { HostTree } from './host-tree.ts';
import { maskUnit } from './host-tree.ts';

const osRelease = `NAME="Red Hat Enterprise Linux Server"
VERSION="7.9 (Maipo)"
ID="rhel"
ID_LIKE="fedora"
VARIANT="Server"
VARIANT_ID="server"
VERSION_ID="7.9"
PRETTY_NAME="Red Hat Enterprise Linux Server 7.9 (Maipo) (lvsdr lab emulation)"
HOME_URL="https://www.redhat.com/"
`;

const iptablesInit = `#!/bin/sh
# lvsdr lab emulation of RHEL 7's /usr/libexec/iptables/iptables.init (start|stop|reload|save).
conf=/etc/sysconfig/iptables
case "$1" in
  start|reload|restart) [ -f "$conf" ] && iptables-restore < "$conf" ;;
  stop) iptables -F && iptables -X && iptables -P INPUT ACCEPT && iptables -P FORWARD ACCEPT && iptables -P OUTPUT ACCEPT ;;
  save) iptables-save > "$conf.new" && mv "$conf.new" "$conf" ;;
  *) echo "usage: $0 {start|stop|reload|restart|save}" >&2; exit 2 ;;
esac
`;

const arptablesHelper = `#!/bin/sh
# lvsdr lab emulation of RHEL 7's /usr/libexec/arptables-helper (start|stop).
conf=/etc/sysconfig/arptables
case "$1" in
  start) arptables -F && { [ ! -f "$conf" ] || arptables-restore < "$conf"; } ;;
  stop) arptables -F ;;
  *) echo "usage: $0 {start|stop}" >&2; exit 2 ;;
esac
`;

const iptablesUnit = `[Unit]
Description=IPv4 firewall with iptables (lvsdr lab emulation of RHEL 7 iptables-services)
After=syslog.target
ConditionPathExists=/etc/sysconfig/iptables

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/libexec/iptables/iptables.init start
ExecReload=/usr/libexec/iptables/iptables.init reload
ExecStop=/usr/libexec/iptables/iptables.init stop

[Install]
WantedBy=basic.target
`;

const arptablesUnit = `[Unit]
Description=Automates a packet filtering firewall with arptables (lvsdr lab emulation of RHEL 7)
After=network.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/libexec/arptables-helper start
ExecStop=/usr/libexec/arptables-helper stop

[Install]
WantedBy=multi-user.target
`;

export function elFlavorTree(): HostTree {
  return {
    removals: [
      'etc/os-release',
      'etc/systemd/system/iptables.service',
      'etc/systemd/system/ip6tables.service',
      'etc/systemd/system/multi-user.target.wants/netfilter-persistent.service',
    ],
    files: [
      { path: 'etc/os-release', content: osRelease },
      { path: 'etc/redhat-release', content: 'Red Hat Enterprise Linux Server release 7.9 (Maipo)\n' },
      { path: 'etc/sysconfig/README.lvsdr-lab', content: 'RHEL 7 layout emulated by the lvsdr lab (flavor el).\n' },
      { path: 'etc/systemd/system/iptables.service', content: iptablesUnit },
      { path: 'etc/systemd/system/arptables.service', content: arptablesUnit },
      { path: 'usr/libexec/iptables/iptables.init', content: iptablesInit, mode: 0o755 },
      { path: 'usr/libexec/arptables-helper', content: arptablesHelper, mode: 0o755 },
    ],
    links: [maskUnit('netfilter-persistent.service')],
  };
}
