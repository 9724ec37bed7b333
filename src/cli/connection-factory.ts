/**
 * The connections the connection flags (connection-options.ts) ask for: ssh, or this machine for
 * `-c local` / `connection: local` / `ansible_connection: local`. Apart from the flags because it
 * loads the SSH client, which only a command that connects needs.
 */
import { HandshakePacer } from '../connection/handshake-pacing.ts';
import { UserError } from '../core/errors.ts';
import { passwordFromFile } from '../core/password-file.ts';
import { LocalConnection } from '../connection/local.ts';
import { SshConnection } from '../connection/ssh.ts';
import { resolveTarget } from '../connection/ssh-target.ts';
import { connectionKind } from '../core/access-vars.ts';
import { hostConnectTimeout } from '../core/ansible-setting-vars.ts';
import type { ConnectionFactory } from '../core/executor/host-connections.ts';
import { resolveAccess, type AccessDefaults } from '../core/executor/task-access.ts';

/** -c, -u, -b and --become-user: the defaults of the play and task keywords. */
export function accessDefaults(argv: Record<string, unknown>): AccessDefaults {
  const out: AccessDefaults = { become: Boolean(argv.become) };
  if (typeof argv.connection === 'string') out.connection = connectionKind(argv.connection);
  if (typeof argv.user === 'string') out.remoteUser = argv.user;
  if (typeof argv['become-user'] === 'string') out.becomeUser = argv['become-user'];
  return out;
}

const ASKED = Symbol('become password from -K or --become-password-file');

/**
 * With --become-password-file, reads the become password (as Ansible: a script's output, a file's
 * text, or stdin for `-`); with -K, asks for it once on the terminal. Before anything connects; it
 * is kept on argv under a symbol, so nothing that lists or records the flags sees it.
 */
export async function askBecomePassword(argv: Record<string | symbol, unknown>): Promise<void> {
  const file = argv['become-password-file'];
  if (typeof file === 'string') {
    argv[ASKED] = (file === '-' ? await stdinText() : passwordFromFile(file, 'become password')).toString('utf8').replace(/[\r\n]+$/, '');
    return;
  }
  if (argv['ask-become-pass'] !== true) return;
  const { hiddenPrompt } = await import('./terminal-prompt.ts');
  const prompt = hiddenPrompt();
  if (!prompt) {
    throw new UserError({
      message: '-K (--ask-become-pass) needs a terminal, and there is none',
      hint: 'give the password in LVSDR_BECOME_PASSWORD or ansible_become_password instead',
    });
  }
  argv[ASKED] = await prompt('BECOME password: ');
}

async function stdinText(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function askedBecomePassword(argv: Record<string | symbol, unknown>): string | undefined {
  return typeof argv[ASKED] === 'string' ? (argv[ASKED] as string) : undefined;
}

/**
 * A factory of connections configured from the flags; nothing is opened until connect(). Without
 * a route (facts, rollout), a host is reached as its variables and the flags say.
 */
export function connectionFactory(argv: Record<string, unknown>): ConnectionFactory {
  const becomePassword = askedBecomePassword(argv) ?? (process.env.LVSDR_BECOME_PASSWORD || undefined);
  const options = {
    privateKeyFile: argv['private-key'] as string | undefined,
    knownHostsFile: argv['known-hosts'] as string | undefined,
    acceptNewHostKeys: Boolean(argv['accept-new-host-keys']),
    becomePassword,
    connectTimeoutMs: Number(argv.timeout) * 1000,
  };
  const defaults = accessDefaults(argv);
  // One pacer for every connection of the command: the limit is the controller's, not a host's.
  const pacer = new HandshakePacer(Number(argv['max-handshakes']));
  return (host, route = resolveAccess([], defaults, host.vars)) => {
    if (route.connection === 'local') return new LocalConnection({ name: host.name, becomePassword });
    // ansible_ssh_timeout / ansible_timeout beat -T, as in Ansible.
    const seconds = hostConnectTimeout(host.vars);
    const connectTimeoutMs = seconds === undefined ? options.connectTimeoutMs : seconds * 1000;
    return new SshConnection(resolveTarget(host.name, host.vars, { ...options, connectTimeoutMs, user: route.remoteUser }), { pacer });
  };
}
