/** The inventory and connection flags that run, facts and rollout share (what they build: connection-factory.ts). */
import type { Argv } from 'yargs';
import { defaultMaxHandshakes } from '../connection/handshake-pacing.ts';
import { unsupportedSshArgs } from '../core/ansible-config/ssh-args.ts';
import { UserError } from '../core/errors.ts';
import { repeatable } from './repeatable.ts';
import { checkNumberFlags } from './seconds-option.ts';

export const DEFAULT_CONNECT_TIMEOUT_S = 10;

export function withInventoryOptions(y: Argv): Argv {
  return y
    .option('inventory', { ...repeatable('inventory file or directory (repeat for several)', 'i'), demandOption: true })
    .option('limit', { alias: 'l', type: 'string', describe: 'further limit the hosts with a pattern' });
}

export function withConnectionOptions(y: Argv): Argv {
  const flags = y
    .option('user', { alias: 'u', type: 'string', describe: 'remote user, unless remote_user or ansible_user names one (as in Ansible)' })
    .option('connection', { alias: 'c', choices: ['ssh', 'smart', 'local'], describe: 'how to reach hosts (smart means ssh; local runs on this machine), unless connection or ansible_connection says' })
    .option('private-key', { type: 'string', describe: 'private key file' })
    .option('known-hosts', { type: 'string', describe: 'known_hosts file to check host keys against' })
    .option('accept-new-host-keys', { type: 'boolean', defaultDescription: 'false, or true with ansible.cfg host_key_checking = False', describe: 'record keys of hosts not yet in known_hosts (a changed key is still refused)' })
    .option('become', { alias: 'b', type: 'boolean', defaultDescription: 'false, or ansible.cfg', describe: 'run commands with sudo (password from LVSDR_BECOME_PASSWORD), unless become or ansible_become says' })
    .option('become-user', { type: 'string', describe: 'user to become (default root), unless become_user or ansible_become_user names one' })
    .option('become-method', { choices: ['sudo'], describe: 'how to become another user: sudo is the only method lvsdr has' })
    .option('become-password-file', { type: 'string', describe: 'file holding the become password, or a script printing it (- reads it from stdin)' })
    .option('ssh-common-args', { type: 'string', describe: "OpenSSH options as ansible-playbook takes them: only -C and connection sharing/keepalive options, which change nothing lvsdr does" })
    .option('ssh-extra-args', { type: 'string', describe: 'as --ssh-common-args' })
    .option('ask-become-pass', { alias: ['K', 'ask-become-password'], type: 'boolean', defaultDescription: 'false, or ansible.cfg', describe: 'ask for the become (sudo) password on the terminal, instead of LVSDR_BECOME_PASSWORD' })
    .option('forks', { alias: 'f', type: 'number', defaultDescription: '50, or ansible.cfg', describe: 'hosts worked on at once (and at most this many connections open)' })
    // ansible-playbook's -T/--timeout: how long a host has to answer, counted from its handshake's start.
    .option('timeout', {
      alias: ['T', 'connect-timeout'],
      type: 'number',
      defaultDescription: `${DEFAULT_CONNECT_TIMEOUT_S}, or ansible.cfg`,
      describe: 'connection timeout: seconds a host has to complete its SSH handshake (as ansible-playbook -T)',
    })
    .option('max-handshakes', {
      type: 'number',
      default: defaultMaxHandshakes(),
      describe: 'SSH handshakes in flight at once (default: 8 per core of this machine); the rest wait their turn',
    });
  const sshChecked = flags.check((argv) => {
    for (const flag of ['ssh-common-args', 'ssh-extra-args']) {
      const refused = typeof argv[flag] === 'string' ? unsupportedSshArgs(argv[flag] as string) : [];
      if (refused.length > 0) {
        throw new UserError({ message: `--${flag} sets ${refused.join(', ')}, which lvsdr cannot pass on`, hint: 'lvsdr speaks SSH itself, without the ssh program: remove those options' });
      }
    }
    return true;
  });
  return checkNumberFlags(sshChecked, [
    { flag: 'forks', min: 1, integer: true, what: 'a number of hosts', hint: 'give 1 or more, e.g. --forks 20' },
    { flag: 'timeout', min: 0, above: true, hint: 'give more than 0, e.g. -T 30 (alias --connect-timeout)' },
    { flag: 'max-handshakes', min: 1, integer: true, what: 'a number of handshakes', hint: 'give 1 or more, e.g. --max-handshakes 16' },
  ]);
}
