/** `lvsdr facts -i INVENTORY`: the facts every play starts from, gathered from each host, as JSON. */
import type { Argv } from 'yargs';
import type { CliCommand } from './command.ts';
import { withConnectionOptions, withInventoryOptions } from './connection-options.ts';
import { withVaultOptions } from './vault-options.ts';

export const factsCommand: CliCommand = {
  command: 'facts',
  describe: 'gather and print the facts of the inventory hosts as JSON',
  builder: (y: Argv) => withVaultOptions(withConnectionOptions(withInventoryOptions(y))),
  run: async (argv) => (await import('./facts-handler.ts')).gatherFacts(argv),
};
