/**
 * Every module lvsdr knows, by name: the one place a playbook's module key is looked up.
 * A new module is one file in src/modules and one line in this list.
 */
import { ansibleIptablesModule } from './ansible-iptables.ts';
import { aptModule } from './apt.ts';
import { arptablesModule } from './arptables.ts';
import { assertModule, failModule } from './assert.ts';
import { blockinfileModule } from './blockinfile.ts';
import { commandModule, shellModule } from './command.ts';
import { copyModule } from './copy.ts';
import { debugModule } from './debug.ts';
import { dnfModule, yumModule } from './dnf.ts';
import { fileModule } from './file.ts';
import { firewalldDirectModule } from './firewalld-direct.ts';
import { firewalldPortModule } from './firewalld-port.ts';
import { iptablesModule } from './iptables.ts';
import { iptablesStateModule } from './iptables-state.ts';
import { keepalivedModule } from './keepalived.ts';
import { lineinfileModule } from './lineinfile.ts';
import { includeVarsModule } from './include-vars.ts';
import { listeningModule } from './listening.ts';
import { posixFirewalldModule } from './posix-firewalld.ts';
import { metaModule } from './meta.ts';
import { posixSysctlModule } from './posix-sysctl.ts';
import { groupModule } from './group.ts';
import { userModule } from './user.ts';
import { slurpModule } from './slurp.ts';
import { getUrlModule } from './get-url.ts';
import { gitModule } from './git.ts';
import { pauseModule } from './pause.ts';
import { fetchModule } from './fetch.ts';
import { unarchiveModule } from './unarchive.ts';
import { setFactModule } from './set-fact.ts';
import { replaceModule } from './replace.ts';
import { packageModule } from './package.ts';
import { serviceModule } from './service.ts';
import { statModule } from './stat.ts';
import { sysctlModule } from './sysctl.ts';
import { systemdModule, systemdServiceModule } from './systemd.ts';
import { templateModule } from './template.ts';
import type { ModuleDef } from './types.ts';
import { udpAnswerModule } from './udp-answer.ts';
import { vipModule } from './vip.ts';
import { waitForModule } from './wait-for.ts';

const builtin: ModuleDef[] = [
  commandModule,
  shellModule,
  copyModule,
  templateModule,
  fileModule,
  serviceModule,
  assertModule,
  failModule,
  waitForModule,
  sysctlModule,
  arptablesModule,
  iptablesModule,
  ansibleIptablesModule,
  iptablesStateModule,
  firewalldDirectModule,
  firewalldPortModule,
  vipModule,
  keepalivedModule,
  listeningModule,
  udpAnswerModule,
  systemdModule,
  systemdServiceModule,
  statModule,
  lineinfileModule,
  blockinfileModule,
  replaceModule,
  debugModule,
  posixSysctlModule,
  posixFirewalldModule,
  packageModule,
  aptModule,
  dnfModule,
  yumModule,
  groupModule,
  userModule,
  slurpModule,
  getUrlModule,
  gitModule,
  pauseModule,
  fetchModule,
  unarchiveModule,
  setFactModule,
  metaModule,
  includeVarsModule,
];

const byName = new Map(builtin.map((m) => [m.name, m]));
// Ansible resolves a bare `sysctl` to ansible.posix.sysctl (ansible_builtin_runtime.yml's
// plugin_routing), so the bare name takes that module's meaning; lvsdr's own is lvs_sysctl.
byName.set('sysctl', posixSysctlModule);
// The same for a bare `firewalld`: ansible.posix.firewalld.
byName.set('firewalld', posixFirewalldModule);

export function getModule(name: string): ModuleDef | undefined {
  return byName.get(name);
}

export function moduleNames(): string[] {
  return [...byName.keys()].sort();
}
