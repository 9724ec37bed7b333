/** The inventory and connection flags that run, facts and rollout share (what they build: ssh-connections.ts). */
import type { Argv } from 'yargs';
import { repeatable } from './repeatable.ts';

export function withInventoryOptions(y: Argv): Argv {
  return y
    .option('inventory', { ...repeatable('inventory file or directory (repeat for several)', 'i'), demandOption: true })
    .option('limit', { alias: 'l', type: 'string', describe: 'further limit the hosts with a pattern' });
}

export function withConnectionOptions(y: Argv): Argv {
  return y
    .option('user', { alias: 'u', type: 'string', describe: 'remote user (overrides ansible_user)' })
    .option('private-key', { type: 'string', describe: 'private key file' })
    .option('known-hosts', { type: 'string', describe: 'known_hosts file to check host keys against' })
    .option('accept-new-host-keys', { type: 'boolean', default: false, describe: 'record keys of hosts not yet in known_hosts (a changed key is still refused)' })
    .option('become', { alias: 'b', type: 'boolean', default: false, describe: 'run commands with sudo (password from LVSDR_BECOME_PASSWORD)' })
    .option('forks', { alias: 'f', type: 'number', default: 50, describe: 'hosts worked on at once' })
    .option('connect-timeout', { type: 'number', default: 10, describe: 'seconds to wait for a host to answer' });
}
