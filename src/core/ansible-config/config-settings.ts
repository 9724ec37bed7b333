/**
 * What each ansible.cfg key (and its ANSIBLE_* environment variable) means in lvsdr, by the names of
 * ansible-core 2.14's config/base.yml and ssh plugin. Every key read has one of four meanings, so
 * none is accepted and silently ignored:
 *   - `flag`: the default of an lvsdr flag (a flag given on the command line still wins, as in Ansible);
 *   - `only`: accepted only at the value lvsdr always has (Ansible's default, or what lvsdr does);
 *   - `noEffect`: tunes a mechanism lvsdr does not have (output plugins, Python, OpenSSH's sockets);
 *   - `refused`: would change what happens, and lvsdr cannot do it.
 * A key this table does not name is refused too.
 */
/** `pathlist` is comma-separated, `pathspec` colon-separated (Ansible's types of those names). */
export type SettingType = 'string' | 'int' | 'bool' | 'path' | 'pathlist' | 'pathspec' | 'list';

export type Meaning =
  | { flag: string; type: SettingType; choices?: string[]; list?: 'append' | 'prepend'; invert?: boolean }
  | { only: string | number | boolean | string[]; why: string }
  | { noEffect: string }
  | { refused: string }
  /** `ssh_args`: OpenSSH options, accepted when each is one that changes nothing here. */
  | { sshArgs: true };

export interface Setting {
  /** `section.key` as written in ansible.cfg. */
  ini: string[];
  env: string[];
  meaning: Meaning;
}

const OUTPUT = { noEffect: 'it shapes Ansible’s screen output; lvsdr prints its own (plain lines, live rows, or --json)' };
const NO_MODULE_FILES = { noEffect: 'lvsdr copies no module files to hosts' };
const NO_PYTHON = { noEffect: 'lvsdr runs no Ansible module code on hosts (only its own udp_answer check runs python3, found by itself)' };
const OPENSSH_SOCKET = { noEffect: 'lvsdr keeps its own connection open instead of OpenSSH’s control socket' };
const NO_PLUGINS = { noEffect: 'lvsdr loads no Ansible plugins; a filter, lookup or module it does not have is an error where it is used' };

const s = (ini: string | string[], env: string | string[], meaning: Meaning): Setting => ({
  ini: ([] as string[]).concat(ini),
  env: ([] as string[]).concat(env),
  meaning,
});

export const SETTINGS: Setting[] = [
  s('defaults.inventory', 'ANSIBLE_INVENTORY', { flag: 'inventory', type: 'pathlist' }),
  s('defaults.remote_user', 'ANSIBLE_REMOTE_USER', { flag: 'user', type: 'string' }),
  s('defaults.private_key_file', 'ANSIBLE_PRIVATE_KEY_FILE', { flag: 'private-key', type: 'path' }),
  s('defaults.forks', 'ANSIBLE_FORKS', { flag: 'forks', type: 'int' }),
  s(['defaults.timeout', 'ssh_connection.timeout'], ['ANSIBLE_TIMEOUT', 'ANSIBLE_SSH_TIMEOUT'], { flag: 'timeout', type: 'int' }),
  s('defaults.transport', 'ANSIBLE_TRANSPORT', { flag: 'connection', type: 'string', choices: ['ssh', 'smart', 'local'] }),
  s('privilege_escalation.become', 'ANSIBLE_BECOME', { flag: 'become', type: 'bool' }),
  s('privilege_escalation.become_user', 'ANSIBLE_BECOME_USER', { flag: 'become-user', type: 'string' }),
  s('privilege_escalation.become_method', 'ANSIBLE_BECOME_METHOD', { flag: 'become-method', type: 'string', choices: ['sudo'] }),
  s('diff.always', 'ANSIBLE_DIFF_ALWAYS', { flag: 'diff', type: 'bool' }),
  s('defaults.vault_password_file', 'ANSIBLE_VAULT_PASSWORD_FILE', { flag: 'vault-password-file', type: 'path', list: 'append' }),
  s('defaults.vault_identity_list', 'ANSIBLE_VAULT_IDENTITY_LIST', { flag: 'vault-id', type: 'list', list: 'prepend' }),
  s('defaults.ask_vault_pass', 'ANSIBLE_ASK_VAULT_PASS', { flag: 'ask-vault-pass', type: 'bool' }),
  s('defaults.roles_path', 'ANSIBLE_ROLES_PATH', { flag: 'roles-path', type: 'pathspec' }),

  // host_key_checking = False: new hosts' keys are accepted and recorded; a changed key is still
  // refused (Ansible would connect): lvsdr edits load balancers' firewalls (README: Safety).
  s(['defaults.host_key_checking', 'ssh_connection.host_key_checking'], ['ANSIBLE_HOST_KEY_CHECKING', 'ANSIBLE_SSH_HOST_KEY_CHECKING'], {
    flag: 'accept-new-host-keys',
    type: 'bool',
    invert: true,
  }),
  s('privilege_escalation.become_ask_pass', 'ANSIBLE_BECOME_ASK_PASS', { flag: 'ask-become-pass', type: 'bool' }),
  s('defaults.gathering', 'ANSIBLE_GATHERING', { only: ['implicit', 'smart'], why: 'lvsdr gathers facts for each play that does not say gather_facts: false: remove it, and write gather_facts: false on plays that should not' }),
  s('defaults.hash_behaviour', 'ANSIBLE_HASH_BEHAVIOUR', { only: 'replace', why: 'lvsdr replaces a dict variable set again, as Ansible’s default does: remove it, and merge with the combine filter' }),
  s('defaults.jinja2_native', 'ANSIBLE_JINJA2_NATIVE', { only: false, why: 'lvsdr renders templates to text as Ansible’s default does: remove it' }),
  s('defaults.error_on_undefined_vars', 'ANSIBLE_ERROR_ON_UNDEFINED_VARS', { only: true, why: 'lvsdr always fails on an undefined variable: remove it' }),
  s('defaults.any_errors_fatal', 'ANSIBLE_ANY_ERRORS_FATAL', { only: false, why: 'lvsdr does not stop every host when one fails: remove it' }),
  s('defaults.no_log', 'ANSIBLE_NO_LOG', { only: false, why: 'set no_log on the tasks whose output must stay hidden' }),
  s('defaults.fact_caching', 'ANSIBLE_CACHE_PLUGIN', { only: 'memory', why: 'lvsdr keeps facts for one run only, as the memory cache does: remove it' }),
  s('ssh_connection.retries', 'ANSIBLE_SSH_RETRIES', { only: 0, why: 'lvsdr does not retry a failed connection: remove it' }),

  s('defaults.log_path', 'ANSIBLE_LOG_PATH', { refused: 'lvsdr writes no Ansible log file: remove it, and keep a record with --json > FILE' }),
  s('defaults.ansible_managed', 'ANSIBLE_MANAGED', { refused: 'lvsdr has no ansible_managed variable: write the header into the template' }),
  s('defaults.library', 'ANSIBLE_LIBRARY', { refused: 'lvsdr cannot run custom Ansible modules: remove it' }),
  s(['defaults.become_exe', 'privilege_escalation.become_exe'], 'ANSIBLE_BECOME_EXE', { refused: 'lvsdr always runs `sudo` from the PATH: remove it' }),
  s(['defaults.become_flags', 'privilege_escalation.become_flags'], 'ANSIBLE_BECOME_FLAGS', { refused: "lvsdr runs sudo with Ansible's default flags (-H -S -n): remove it" }),
  s(['ssh_connection.ssh_executable'], 'ANSIBLE_SSH_EXECUTABLE', { refused: 'lvsdr speaks SSH itself, without the ssh program: remove it' }),
  s(['ssh_connection.ssh_common_args', 'ssh_connection.ssh_extra_args'], ['ANSIBLE_SSH_COMMON_ARGS', 'ANSIBLE_SSH_EXTRA_ARGS'], {
    refused: 'lvsdr speaks SSH itself, without the ssh program, so it cannot pass OpenSSH options: remove it',
  }),
  s('defaults.gather_subset', 'ANSIBLE_GATHER_SUBSET', { refused: 'set gather_subset on the play instead' }),

  s('defaults.interpreter_python', 'ANSIBLE_PYTHON_INTERPRETER', NO_PYTHON),
  s('defaults.stdout_callback', 'ANSIBLE_STDOUT_CALLBACK', OUTPUT),
  s(['defaults.callbacks_enabled', 'defaults.callback_whitelist'], ['ANSIBLE_CALLBACKS_ENABLED', 'ANSIBLE_CALLBACK_WHITELIST'], OUTPUT),
  s('defaults.bin_ansible_callbacks', 'ANSIBLE_LOAD_CALLBACK_PLUGINS', OUTPUT),
  s('defaults.nocows', 'ANSIBLE_NOCOWS', OUTPUT),
  s('defaults.cow_selection', 'ANSIBLE_COW_SELECTION', OUTPUT),
  s('defaults.force_color', 'ANSIBLE_FORCE_COLOR', OUTPUT),
  s('defaults.nocolor', 'ANSIBLE_NOCOLOR', OUTPUT),
  s('defaults.deprecation_warnings', 'ANSIBLE_DEPRECATION_WARNINGS', OUTPUT),
  s('defaults.command_warnings', 'ANSIBLE_COMMAND_WARNINGS', OUTPUT),
  s('defaults.system_warnings', 'ANSIBLE_SYSTEM_WARNINGS', OUTPUT),
  s('defaults.action_warnings', 'ANSIBLE_ACTION_WARNINGS', OUTPUT),
  s('defaults.localhost_warning', 'ANSIBLE_LOCALHOST_WARNING', OUTPUT),
  s('defaults.display_skipped_hosts', 'ANSIBLE_DISPLAY_SKIPPED_HOSTS', OUTPUT),
  s('defaults.display_ok_hosts', 'ANSIBLE_DISPLAY_OK_HOSTS', OUTPUT),
  s('defaults.display_args_to_stdout', 'ANSIBLE_DISPLAY_ARGS_TO_STDOUT', OUTPUT),
  s('defaults.show_custom_stats', 'ANSIBLE_SHOW_CUSTOM_STATS', OUTPUT),
  s('defaults.max_diff_size', 'ANSIBLE_MAX_DIFF_SIZE', OUTPUT),
  s('defaults.fact_caching_timeout', 'ANSIBLE_CACHE_PLUGIN_TIMEOUT', { noEffect: 'lvsdr keeps facts for one run only' }),
  s('defaults.use_persistent_connections', 'ANSIBLE_USE_PERSISTENT_CONNECTIONS', { noEffect: 'it is read only by network connection plugins' }),
  s('defaults.retry_files_enabled', 'ANSIBLE_RETRY_FILES_ENABLED', { noEffect: 'lvsdr writes no .retry files (use --limit with the failed hosts it lists)' }),
  s('defaults.retry_files_save_path', 'ANSIBLE_RETRY_FILES_SAVE_PATH', { noEffect: 'lvsdr writes no .retry files' }),
  s('defaults.local_tmp', 'ANSIBLE_LOCAL_TEMP', NO_MODULE_FILES),
  s('defaults.remote_tmp', 'ANSIBLE_REMOTE_TEMP', NO_MODULE_FILES),
  s('defaults.keep_remote_files', 'ANSIBLE_KEEP_REMOTE_FILES', NO_MODULE_FILES),
  s('defaults.module_compression', 'ANSIBLE_MODULE_COMPRESSION', NO_MODULE_FILES),
  s('defaults.no_target_syslog', 'ANSIBLE_NO_TARGET_SYSLOG', { noEffect: 'lvsdr runs no modules that log to the host’s syslog' }),
  s('defaults.poll_interval', 'ANSIBLE_POLL_INTERVAL', { noEffect: 'lvsdr runs no async jobs' }),
  s('defaults.internal_poll_interval', [], { noEffect: 'it tunes Ansible’s own process loop' }),
  s('defaults.strategy', 'ANSIBLE_STRATEGY', { only: 'free', why: 'lvsdr always runs hosts as the free strategy does (README: Playbooks): remove it, or set free' }),
  s(['defaults.collections_path', 'defaults.collections_paths'], ['ANSIBLE_COLLECTIONS_PATH', 'ANSIBLE_COLLECTIONS_PATHS'], NO_PLUGINS),
  s(['defaults.filter_plugins', 'defaults.lookup_plugins', 'defaults.callback_plugins', 'defaults.action_plugins', 'defaults.connection_plugins', 'defaults.strategy_plugins', 'defaults.test_plugins', 'defaults.vars_plugins'], [], NO_PLUGINS),
  s('defaults.module_name', 'ANSIBLE_MODULE_NAME', { noEffect: 'it is the module of the ansible ad hoc command' }),
  s('inventory.enable_plugins', 'ANSIBLE_INVENTORY_ENABLED', { noEffect: 'lvsdr reads YAML and INI inventories and refuses the rest, whatever this list says' }),
  s(['inventory.unparsed_is_failed', 'inventory.any_unparsed_is_failed'], ['ANSIBLE_INVENTORY_UNPARSED_FAILED', 'ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED'], { noEffect: 'lvsdr always fails on an inventory it cannot read' }),
  s(['connection.pipelining', 'ssh_connection.pipelining'], ['ANSIBLE_PIPELINING', 'ANSIBLE_SSH_PIPELINING'], { noEffect: 'lvsdr always sends commands on one shell’s input, which is what pipelining does' }),
  s(['ssh_connection.control_path', 'ssh_connection.control_path_dir'], ['ANSIBLE_SSH_CONTROL_PATH', 'ANSIBLE_SSH_CONTROL_PATH_DIR'], OPENSSH_SOCKET),
  s(['ssh_connection.scp_if_ssh', 'ssh_connection.transfer_method', 'ssh_connection.sftp_batch_mode'], ['ANSIBLE_SCP_IF_SSH', 'ANSIBLE_SSH_TRANSFER_METHOD', 'ANSIBLE_SFTP_BATCH_MODE'], {
    noEffect: 'lvsdr sends files through its shell, not scp or sftp',
  }),
  s('ssh_connection.ssh_args', 'ANSIBLE_SSH_ARGS', { sshArgs: true }),
  s('ssh_connection.usetty', 'ANSIBLE_SSH_USETTY', { noEffect: 'lvsdr never asks for a terminal' }),
];

/** Sections whose every key tunes something lvsdr does not have. */
export const NO_EFFECT_SECTIONS: Record<string, string> = {
  colors: OUTPUT.noEffect,
  galaxy: 'lvsdr installs nothing from Galaxy',
  persistent_connection: 'it is read only by network connection plugins',
  paramiko_connection: 'it is read only by the paramiko connection, which lvsdr does not have',
};
