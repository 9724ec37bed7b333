/**
 * Where each OS family keeps what the LVS modules persist, and which unit restores it at boot.
 * Every entry can be overridden by the module's own arguments (`file`, `unit`), so a host of
 * another family works when the playbook says where things go.
 */
import { ARPTABLES_RESTORE_UNIT } from './arptables-restore-unit.ts';

export interface OwnUnit {
  /** lvsdr installs this unit itself: the family ships none for the job. */
  own: true;
  name: string;
}

export interface PackagedUnit {
  own: false;
  name: string;
  /** How to get the unit when `systemctl is-enabled` says it does not exist. */
  installHint: string;
}

export interface Layout {
  sysctlFile: string;
  arptablesFile: string;
  arptablesUnit: OwnUnit | PackagedUnit;
  iptablesFile: string;
  iptablesUnit: PackagedUnit;
  /** ip6tables' saved rules and the unit restoring them: the same package as IPv4's on both families. */
  ip6tablesFile: string;
  ip6tablesUnit: PackagedUnit;
}

/** Units lvsdr writes live with the administrator's units, not the package manager's. */
export const UNIT_DIR = '/etc/systemd/system';

const NETFILTER_PERSISTENT: PackagedUnit = {
  own: false,
  name: 'netfilter-persistent.service',
  installHint: 'install it: apt-get install iptables-persistent netfilter-persistent',
};

const layouts: Record<string, Layout> = {
  RedHat: {
    sysctlFile: '/etc/sysctl.d/90-lvsdr.conf',
    arptablesFile: '/etc/sysconfig/arptables',
    arptablesUnit: {
      own: false,
      name: 'arptables.service',
      installHint: 'install the package that ships it: dnf install /usr/lib/systemd/system/arptables.service',
    },
    iptablesFile: '/etc/sysconfig/iptables',
    iptablesUnit: { own: false, name: 'iptables.service', installHint: 'install it: dnf install iptables-services' },
    ip6tablesFile: '/etc/sysconfig/ip6tables',
    ip6tablesUnit: { own: false, name: 'ip6tables.service', installHint: 'install it: dnf install iptables-services' },
  },
  Debian: {
    sysctlFile: '/etc/sysctl.d/90-lvsdr.conf',
    arptablesFile: '/etc/arptables.rules',
    arptablesUnit: { own: true, name: ARPTABLES_RESTORE_UNIT },
    iptablesFile: '/etc/iptables/rules.v4',
    iptablesUnit: NETFILTER_PERSISTENT,
    // netfilter-persistent's ip6tables plugin restores this one, as iptables-persistent saves it
    ip6tablesFile: '/etc/iptables/rules.v6',
    ip6tablesUnit: NETFILTER_PERSISTENT,
  },
};

export function layoutFor(osFamily: string): Layout | undefined {
  return layouts[osFamily];
}

/** The message for a host whose family has no layout and whose task did not say where to write. */
export function noLayoutMessage(osFamily: string, args: string[]): string {
  return `lvsdr knows where to persist this on RedHat and Debian hosts, not on "${osFamily}"; set ${args.join(' and ')} in the task`;
}
