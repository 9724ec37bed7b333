/**
 * The three contenders as commands: the OpenSSH floor, lvsdr, and ansible-playbook — each given
 * the same key, the same lab known_hosts with strict host key checking, and the same variables.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabInfo } from '../../src/lab/lab-info.ts';
import { REALSERVERS_FIRST_24 } from '../../src/lab/lab-names.ts';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const LVSDR_PLAYBOOK = path.join(REPO, 'scripts/bench/lvsdr-realserver.yml');
export const ANSIBLE_PLAYBOOK = path.join(REPO, 'scripts/bench/ansible-realserver.yml');

/**
 * Every contender waits this long for a host's handshake: a hundred handshakes at once on two
 * busy cores can take longer than the tools' 10 s defaults, and a timeout is not what is measured.
 */
export const CONNECT_TIMEOUT_S = 60;

export interface Command {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  input?: string;
}

/**
 * `ssh HOST true` to every host at once: one OpenSSH client process per host, no connection
 * sharing, no user ssh config (so nothing of this machine's ~/.ssh/config sneaks in).
 */
export function floorCommand(lab: LabInfo): Command {
  const ssh = [
    'ssh', '-F', '/dev/null', '-i', lab.privateKey, '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes',
    '-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${lab.knownHosts}`,
    '-o', 'ControlMaster=no', '-o', 'ControlPath=none', '-o', `ConnectTimeout=${CONNECT_TIMEOUT_S}`, '-l', 'root',
  ];
  // xargs runs them all in parallel and exits 123 when any ssh failed.
  return {
    command: 'xargs',
    args: ['-P', String(lab.hosts.length), '-I', '{}', ...ssh, '{}', 'true'],
    input: lab.hosts.map((h) => h.address).join('\n') + '\n',
  };
}

export type LvsdrMode = 'first' | 'no-change' | 'check' | 'reset';

/** lvsdr with its default --forks unless `forks` is given. */
export function lvsdrCommand(lab: LabInfo, varsFile: string, mode: LvsdrMode, forks?: number): Command {
  const args = [path.join(REPO, 'bin/lvsdr'), 'run', LVSDR_PLAYBOOK, '-i', lab.inventoryPath, '-e', `@${varsFile}`, '--connect-timeout', String(CONNECT_TIMEOUT_S)];
  if (forks !== undefined) args.push('--forks', String(forks));
  if (mode === 'check') args.push('--check');
  if (mode === 'reset') args.push('-e', 'lvs_state=absent');
  return { command: '/bin/sh', args };
}

/**
 * Ansible's forks: N up to one /24 of hosts (each host its own process, as the floor), 50 past it —
 * a thousand ansible-playbook workers would measure the machine's memory, not Ansible.
 */
export function ansibleForks(n: number): number {
  return n > REALSERVERS_FIRST_24 ? 50 : n;
}

/**
 * ansible.cfg for the run: pipelining on, forks from `ansibleForks`, Ansible's default ControlMaster/ControlPersist
 * (its normal way of working) with sockets in a directory the bench closes after each run, and
 * the lab's known_hosts with strict checking.
 */
export async function writeAnsibleConfig(dir: string, lab: LabInfo, controlDir: string): Promise<string> {
  const file = path.join(dir, 'ansible.cfg');
  await writeFile(
    file,
    `[defaults]
forks = ${ansibleForks(lab.hosts.length)}
timeout = ${CONNECT_TIMEOUT_S}
host_key_checking = True
interpreter_python = /usr/bin/python3
retry_files_enabled = False
deprecation_warnings = False
nocows = 1

[ssh_connection]
pipelining = True
control_path_dir = ${controlDir}
ssh_args = -F /dev/null -o IdentitiesOnly=yes -o ControlMaster=auto -o ControlPersist=60s -o StrictHostKeyChecking=yes -o UserKnownHostsFile=${lab.knownHosts}
`,
  );
  return file;
}

export function ansibleCommand(lab: LabInfo, varsFile: string, configFile: string): Command {
  return {
    command: 'ansible-playbook',
    args: ['-i', lab.inventoryPath, '-e', `@${varsFile}`, ANSIBLE_PLAYBOOK],
    env: { ...process.env, ANSIBLE_CONFIG: configFile, ANSIBLE_NOCOLOR: '1' },
  };
}
