/**
 * Every variable Ansible reads to reach a host or act on it, beyond the ones lvsdr honours
 * (access-vars.ts, inventory/connection-vars.ts): each has a meaning here, so none is accepted and
 * silently ignored. The list is the `vars:` of ansible-core 2.14's config (config/base.yml) and of
 * the plugins lvsdr stands in for (connection ssh/local/paramiko_ssh, become sudo/su, shell sh), plus
 * `MAGIC_VARIABLE_MAPPING` in ansible/constants.py.
 *
 * - `NO_EFFECT`: settings of a mechanism lvsdr does not have (Python on the host, module temp
 *   directories, OpenSSH's control socket, file transfer by scp/sftp, other connection plugins).
 *   Ansible's own result does not depend on them, so lvsdr's does not either; the README lists them.
 * - `REFUSED`: settings that would change what happens, which lvsdr cannot honour.
 * - `ACCEPTED_VALUES`: refused unless the value is the one lvsdr does anyway.
 */

/** Why the setting changes nothing here: the mechanism it tunes does not exist in lvsdr. */
export const NO_EFFECT: Record<string, string> = {
  ansible_python_interpreter: 'lvsdr runs no Ansible module code on hosts (only its own udp_answer check runs python3, found by itself)',
  ansible_interpreter_python_fallback: 'lvsdr runs no Ansible module code on hosts (only its own udp_answer check runs python3, found by itself)',
  ansible_python_module_rlimit_nofile: 'lvsdr runs no Ansible module code on hosts (only its own udp_answer check runs python3, found by itself)',
  ansible_module_compression: 'lvsdr sends no module files',
  ansible_facts_modules: 'lvsdr gathers facts with its own one command',
  ansible_pipelining: 'lvsdr always sends commands on one shell’s input, which is what pipelining does',
  ansible_ssh_pipelining: 'lvsdr always sends commands on one shell’s input, which is what pipelining does',
  ansible_control_path: 'lvsdr keeps its own connection open instead of OpenSSH’s control socket',
  ansible_control_path_dir: 'lvsdr keeps its own connection open instead of OpenSSH’s control socket',
  ansible_ssh_transfer_method: 'lvsdr sends files through its shell, not scp or sftp',
  ansible_scp_if_ssh: 'lvsdr sends files through its shell, not scp or sftp',
  ansible_sftp_batch_mode: 'lvsdr sends files through its shell, not scp or sftp',
  ansible_ssh_use_tty: 'lvsdr never asks for a terminal (sudo runs with -n or reads the password on its input)',
  ansible_remote_tmp: 'lvsdr writes no module files to a temporary directory',
  ansible_system_tmpdirs: 'lvsdr writes no module files to a temporary directory',
  ansible_async_dir: 'lvsdr runs no async jobs',
  ansible_shell_allow_world_readable_temp: 'lvsdr writes no module files to a temporary directory',
  ansible_admin_users: 'lvsdr writes no module files to a temporary directory',
  ansible_common_remote_group: 'lvsdr writes no module files to a temporary directory',
  ansible_no_target_syslog: 'lvsdr runs no modules that log to the host’s syslog',
  ansible_network_os: 'it is read only by network connection plugins, which lvsdr does not have',
  ansible_connection_user: 'it is read only by connection plugins lvsdr does not have',
  ansible_docker_extra_args: 'it is read only by the docker connection, which lvsdr does not have',
  ansible_win_async_startup_timeout: 'it is read only on Windows hosts',
  ansible_paramiko_host: 'it is read only by the paramiko connection, which lvsdr does not have',
  ansible_paramiko_user: 'it is read only by the paramiko connection, which lvsdr does not have',
  ansible_paramiko_pass: 'it is read only by the paramiko connection, which lvsdr does not have',
  ansible_paramiko_password: 'it is read only by the paramiko connection, which lvsdr does not have',
  ansible_paramiko_host_key_checking: 'it is read only by the paramiko connection, which lvsdr does not have',
  ansible_paramiko_use_rsa_sha2_algorithms: 'it is read only by the paramiko connection, which lvsdr does not have',
};

const PASSWORD_LOGIN = 'lvsdr logs in with a key only: set ansible_ssh_private_key_file, or load the key into ssh-agent';
const OPENSSH_ARGS = 'lvsdr speaks SSH itself, without the ssh program, so it cannot pass OpenSSH options: remove it (for a jump host, reach the host directly or run lvsdr from the jump host)';
const SUDO_ONLY = 'lvsdr becomes another user with sudo only: remove it';

/** Settings lvsdr cannot honour, and what to do instead. */
export const REFUSED: Record<string, string> = {
  ansible_password: PASSWORD_LOGIN,
  ansible_ssh_pass: PASSWORD_LOGIN,
  ansible_ssh_password: PASSWORD_LOGIN,
  ansible_sshpass_prompt: PASSWORD_LOGIN,
  ansible_ssh_common_args: OPENSSH_ARGS,
  ansible_ssh_extra_args: OPENSSH_ARGS,
  ansible_ssh_args: OPENSSH_ARGS,
  ansible_scp_extra_args: OPENSSH_ARGS,
  ansible_sftp_extra_args: OPENSSH_ARGS,
  ansible_ssh_executable: OPENSSH_ARGS,
  ansible_scp_executable: OPENSSH_ARGS,
  ansible_sftp_executable: OPENSSH_ARGS,
  ansible_ssh_pkcs11_provider: 'lvsdr reads keys from files or ssh-agent, not from a PKCS#11 provider: remove it',
  ansible_become_exe: 'lvsdr always runs `sudo` from the PATH: remove it',
  ansible_sudo_exe: 'lvsdr always runs `sudo` from the PATH: remove it',
  ansible_become_flags: "lvsdr runs sudo with Ansible's default flags (-H -S -n): remove it",
  ansible_sudo_flags: "lvsdr runs sudo with Ansible's default flags (-H -S -n): remove it",
  ansible_su_exe: SUDO_ONLY,
  ansible_su_flags: SUDO_ONLY,
  ansible_su_pass: SUDO_ONLY,
  ansible_su_user: SUDO_ONLY,
  ansible_su_prompt_l10n: SUDO_ONLY,
};

/**
 * Settings accepted only at the value lvsdr always uses (Ansible's default, or what lvsdr does): a
 * boolean is compared as Ansible reads boolean words, anything else as text.
 */
export const ACCEPTED_VALUE: Record<string, { value: string | number | boolean; why: string }> = {
  ansible_shell_type: { value: 'sh', why: 'lvsdr runs every command with /bin/sh: write ansible_shell_type: sh or remove it' },
  ansible_shell_executable: {
    value: '/bin/sh',
    why: 'lvsdr runs every command with /bin/sh: remove it, or run the other shell in the task (`shell: bash -c …`)',
  },
  ansible_ssh_retries: { value: 0, why: 'lvsdr does not retry a failed connection: remove it' },
  ansible_host_key_checking: {
    value: true,
    why: 'lvsdr always checks host keys: remove it, or accept new hosts with --accept-new-host-keys',
  },
  ansible_ssh_host_key_checking: {
    value: true,
    why: 'lvsdr always checks host keys: remove it, or accept new hosts with --accept-new-host-keys',
  },
};

/**
 * The connection timeout variables, winner first: ansible_ssh_timeout is the ssh plugin's own
 * variable (config precedence: variables first); ansible_timeout sets the play context's timeout,
 * which is passed to the plugin as a keyword and beats -T (checked in ansible-core 2.14's
 * task_executor.py `_set_connection_options` and config/manager.py).
 */
export const TIMEOUT_VARS = ['ansible_ssh_timeout', 'ansible_timeout'];

/** Whole seconds from a timeout variable's value, or undefined when it is not one. */
export function timeoutSeconds(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*[0-9]+\s*$/.test(value) ? Number(value) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** The connection timeout a host's variables set, in seconds, or undefined to keep -T. */
export function hostConnectTimeout(vars: Record<string, unknown>): number | undefined {
  for (const name of TIMEOUT_VARS) {
    const seconds = timeoutSeconds(vars[name]);
    if (seconds !== undefined) return seconds;
  }
  return undefined;
}
