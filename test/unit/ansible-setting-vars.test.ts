/**
 * Every variable Ansible reads to reach or act on a host has a meaning in lvsdr: honoured, refused,
 * accepted only at lvsdr's own value, or of no effect (and then listed in the README).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { accessVarProblem } from '../../src/core/access-vars.ts';
import { ACCEPTED_VALUE, hostConnectTimeout, NO_EFFECT, REFUSED, TIMEOUT_VARS } from '../../src/core/ansible-setting-vars.ts';

// The `vars:` names of ansible-core 2.14's config/base.yml and of its ssh, local, paramiko_ssh,
// sudo, su and sh plugins, and MAGIC_VARIABLE_MAPPING's names (read from Debian's ansible package).
const ANSIBLE_SETTING_VARS = `ansible_admin_users ansible_async_dir ansible_become ansible_become_exe ansible_become_flags
ansible_become_method ansible_become_pass ansible_become_password ansible_become_user ansible_common_remote_group
ansible_connection ansible_connection_user ansible_control_path ansible_control_path_dir ansible_docker_extra_args
ansible_facts_modules ansible_host ansible_host_key_checking ansible_interpreter_python_fallback ansible_module_compression
ansible_network_os ansible_no_target_syslog ansible_paramiko_host ansible_paramiko_host_key_checking ansible_paramiko_pass
ansible_paramiko_password ansible_paramiko_use_rsa_sha2_algorithms ansible_paramiko_user ansible_password ansible_pipelining
ansible_port ansible_private_key_file ansible_python_interpreter ansible_python_module_rlimit_nofile ansible_remote_tmp
ansible_scp_executable ansible_scp_extra_args ansible_scp_if_ssh ansible_sftp_batch_mode ansible_sftp_executable
ansible_sftp_extra_args ansible_shell_allow_world_readable_temp ansible_shell_executable ansible_shell_type ansible_ssh_args
ansible_ssh_common_args ansible_ssh_executable ansible_ssh_extra_args ansible_ssh_host ansible_ssh_host_key_checking
ansible_ssh_pass ansible_ssh_password ansible_ssh_pipelining ansible_ssh_pkcs11_provider ansible_ssh_port
ansible_ssh_private_key_file ansible_ssh_retries ansible_ssh_timeout ansible_ssh_transfer_method ansible_ssh_use_tty
ansible_ssh_user ansible_sshpass_prompt ansible_su_exe ansible_su_flags ansible_su_pass ansible_su_prompt_l10n ansible_su_user
ansible_sudo_exe ansible_sudo_flags ansible_sudo_pass ansible_sudo_user ansible_system_tmpdirs ansible_timeout ansible_user
ansible_win_async_startup_timeout`.split(/\s+/);

// Read by lvsdr with Ansible's meaning (access-vars.ts, inventory/connection-vars.ts).
const HONOURED = `ansible_become ansible_become_method ansible_become_pass ansible_become_password ansible_become_user
ansible_connection ansible_host ansible_port ansible_private_key_file ansible_ssh_host ansible_ssh_port
ansible_ssh_private_key_file ansible_ssh_user ansible_sudo_pass ansible_sudo_user ansible_user`.split(/\s+/);

describe("Ansible's setting variables", () => {
  it('each has one meaning in lvsdr', () => {
    const tables = [HONOURED, Object.keys(NO_EFFECT), Object.keys(REFUSED), Object.keys(ACCEPTED_VALUE), TIMEOUT_VARS];
    for (const name of ANSIBLE_SETTING_VARS) {
      expect(tables.filter((t) => t.includes(name)), name).toHaveLength(1);
    }
  });

  it('those of no effect are accepted, and the README names each with its reason', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const [name, why] of Object.entries(NO_EFFECT)) {
      expect(accessVarProblem(name, 'anything'), name).toBeUndefined();
      expect(readme, name).toContain(`| \`${name}\` | ${why} |`);
    }
  });

  it('the ssh plugin’s ansible_ssh_timeout beats ansible_timeout, which beats -T', () => {
    expect(hostConnectTimeout({ ansible_timeout: '20', ansible_ssh_timeout: 7 })).toBe(7);
    expect(hostConnectTimeout({ ansible_timeout: 20 })).toBe(20);
    expect(hostConnectTimeout({})).toBeUndefined();
  });
});
