/** `lvsdr inventory -i INV --list | --graph [GROUP] | --host NAME`, like ansible-inventory. */
import type { Argv } from 'yargs';
import type { CliCommand } from './command.ts';
import { ExitCode } from './exit-codes.ts';
import { UserError } from '../core/errors.ts';
import { repeatable } from './repeatable.ts';
import { withVaultOptions } from './vault-options.ts';

export const inventoryCommand: CliCommand = {
  command: 'inventory [group]',
  describe: 'show an inventory as lvsdr reads it (like ansible-inventory)',
  builder: (yargs: Argv) =>
    withVaultOptions(yargs)
      .positional('group', { type: 'string', describe: 'with --graph: the group to start the tree at (default all)' })
      .option('inventory', repeatable('inventory file or directory; repeat to merge several', 'i'))
      .option('list', { type: 'boolean', describe: 'every group and host as JSON (ansible-inventory --list)' })
      .option('graph', { type: 'boolean', describe: 'the group tree (ansible-inventory --graph)' })
      .option('host', { type: 'string', describe: "one host's effective vars as JSON" })
      .option('export', { type: 'boolean', describe: "with --list: each group's and host's own vars instead of effective host vars" })
      // Usage problems are UserErrors so that main maps them to exit 4 like any invalid input.
      .check((argv) => {
        const usage = (message: string, hint: string): never => {
          throw new UserError({ message, hint });
        };
        if (!argv.inventory || argv.inventory.length === 0) usage('no inventory given', 'name it with -i FILE or -i DIR (repeat -i to merge several)');
        const chosen = [argv.list, argv.graph, argv.host !== undefined].filter(Boolean).length;
        if (chosen !== 1) usage('choose exactly one of --list, --graph, --host NAME', "run 'lvsdr inventory --help' for what each shows");
        if (argv.group !== undefined && !argv.graph) usage('a GROUP argument goes with --graph only', 'add --graph, or drop the group name');
        if (argv.export && !argv.list) usage('--export goes with --list only', 'add --list, or drop --export');
        return true;
      }),
  async run(argv) {
    const { ansibleGraph, ansibleHostVars, ansibleList, loadInventory } = await import('../core/inventory/index.ts');
    const inventory = loadInventory(argv.inventory as string[]);
    let output: string;
    if (argv.graph) output = ansibleGraph(inventory, (argv.group as string | undefined) ?? 'all');
    else if (argv.host !== undefined) output = ansibleHostVars(inventory, argv.host as string);
    else output = ansibleList(inventory, argv.export === true);
    return { exitCode: ExitCode.ok, output };
  },
};
