/** `lvsdr rollout -i INVENTORY --add HOST,… | --remove HOST,…`: grow or shrink a live cluster. */
import type { Argv } from 'yargs';
import { UserError } from '../core/errors.ts';
import type { CliCommand } from './command.ts';
import { withConnectionOptions } from './connection-options.ts';
import { withCommandTimeout } from './run.ts';
import { repeatable } from './repeatable.ts';
import { withLockOptions } from './run-lock.ts';
import { withVaultOptions } from './vault-options.ts';
import { withRecordOptions } from './run-record.ts';

export const rolloutCommand: CliCommand = {
  command: 'rollout',
  describe: 'add real servers to (or remove them from) a live cluster without dropping requests',
  builder: (y: Argv) =>
    withRecordOptions(withVaultOptions(withCommandTimeout(withLockOptions(withConnectionOptions(y)))))
      .option('inventory', { ...repeatable('inventory file or directory (repeat for several)', 'i'), demandOption: true })
      .option('add', repeatable('real servers to put into service (comma-separated or repeated)'))
      .option('remove', repeatable('real servers to drain and take out of service (comma-separated or repeated)'))
      .option('undo', { type: 'boolean', default: false, describe: 'with --remove: also undo their real-server setup' })
      .option('batch', { type: 'string', default: '1', describe: 'new hosts per batch: N or N%' })
      .option('max-fail', { type: 'string', default: '0%', describe: 'stop before the next batch when more than this share of a batch failed' })
      .option('check', { alias: 'C', type: 'boolean', default: false, describe: 'show the whole rollout plan and change nothing' })
      .option('diff', { alias: 'D', type: 'boolean', defaultDescription: 'false, or ansible.cfg [diff] always', describe: 'show the director configuration diff' })
      .option('extra-vars', repeatable('k=v pairs, JSON/YAML, or @file', 'e'))
      .option('health-timeout', { type: 'number', default: 60, describe: "seconds to wait for the director's health check" })
      .option('drain-timeout', { type: 'number', default: 30, describe: 'seconds to wait for a removed server to drain' })
      .option('probe', { type: 'number', default: 3, describe: 'client-side connections to each VIP port after adding (0: none)' })
      .option('json', { type: 'boolean', default: false, describe: 'JSON lines' })
      .option('verbose', { alias: 'v', type: 'count', describe: 'show remote commands' })
      // A UserError, so that main maps it to exit 4 like any invalid input (a plain Error is internal).
      .check((argv) => {
        if ((argv.add as string[]).length + (argv.remove as string[]).length === 0) {
          throw new UserError({ message: 'a rollout needs hosts to add or remove', hint: 'name them with --add HOST,… or --remove HOST,…, e.g. lvsdr rollout -i inventory.yml --add rs3' });
        }
        return true;
      }),
  run: async (argv, io) => (await import('./rollout-handler.ts')).rollout(argv, io),
};
