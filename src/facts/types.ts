/** Facts gathered once per host at the start of a play, in one round trip. */
import type { AnsibleExtras } from './ansible-facts.ts';
import type { FactSubsets } from './gather-subset.ts';
import type { LinkDetails } from './ip-addr.ts';

export interface InterfaceAddress {
  family: 'inet' | 'inet6';
  address: string;
  prefixlen: number;
  label?: string;
}

export interface NetInterface {
  name: string;
  mac?: string;
  up: boolean;
  addresses: InterfaceAddress[];
}

export type ToolVariant = 'nft' | 'legacy';

export interface ToolFact {
  path: string;
  variant?: ToolVariant;
  version?: string;
}

export interface HostFacts {
  hostname: string;
  /** 'RedHat' for RHEL-like systems, 'Debian' for Debian-like, else the os-release ID. */
  osFamily: string;
  distribution: string;
  distributionVersion: string;
  /** Ansible's ansible_pkg_mgr: apt, dnf, yum or unknown (package-manager.ts); facts made by hand may leave it out. */
  pkgMgr?: string;
  /** Whether systemd is running as PID 1 (not merely installed). */
  systemdRunning: boolean;
  interfaces: NetInterface[];
  /** Interface of the IPv4 default route, if there is one. */
  defaultInterface?: string;
  /** First IPv4 address of the default interface. */
  defaultIpv4?: string;
  tools: {
    arptables?: ToolFact;
    iptables?: ToolFact;
    iptablesSave?: ToolFact;
    arptablesSave?: ToolFact;
    firewallCmd?: ToolFact;
    keepalived?: ToolFact;
    dnf?: ToolFact;
    yum?: ToolFact;
    aptGet?: ToolFact;
  };
  /** What Ansible's names are built from (core/ansible-fact-vars.ts); facts made by hand may leave it out. */
  ansible?: AnsibleExtras & { subsets: FactSubsets; links: LinkDetails[]; osRelease: Record<string, string> };
}
