/**
 * The SSH connections the connection flags (connection-options.ts) ask for. Apart from the flags
 * because it loads the SSH client, which only a command that connects needs.
 */
import { SshConnection } from '../connection/ssh.ts';
import { resolveTarget } from '../connection/target.ts';
import type { Connection } from '../connection/types.ts';
import type { InventoryHost } from '../core/inventory/types.ts';

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
