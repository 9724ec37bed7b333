/** The inventory and connection flags that run, facts and rollout share, and what they build. */
import type { Argv } from 'yargs';
import { SshConnection } from '../connection/ssh.ts';
import { resolveTarget } from '../connection/target.ts';
import type { Connection } from '../connection/types.ts';
import type { InventoryHost } from '../core/inventory/types.ts';
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

/** A factory of SSH connections configured from the flags; nothing is opened until connect(). */
export function sshConnectionFactory(argv: Record<string, unknown>): (host: InventoryHost) => Connection {
  const options = {
    user: argv.user as string | undefined,
    privateKeyFile: argv['private-key'] as string | undefined,
    knownHostsFile: argv['known-hosts'] as string | undefined,
    acceptNewHostKeys: Boolean(argv['accept-new-host-keys']),
    becomePassword: process.env.LVSDR_BECOME_PASSWORD || undefined,
    connectTimeoutMs: Number(argv['connect-timeout'] ?? 10) * 1000,
  };
  return (host) => new SshConnection(resolveTarget(host.name, host.vars, options));
}
