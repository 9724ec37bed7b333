/** `lvsdr validate PLAYBOOK -i INVENTORY [-e ...]`: every problem at once, without connecting to anything. */
import type { Argv } from 'yargs';
import type { CliCommand } from './command.ts';
import { ExitCode } from './exit-codes.ts';
import { repeatable } from './repeatable.ts';
import { withRolesPathOption } from './roles-path-option.ts';
import { withVaultOptions } from './vault-options.ts';

export const validateCommand: CliCommand = {
  command: 'validate <playbook>',
  describe: 'check a playbook against an inventory without connecting: every problem at once',
  builder: (y: Argv) =>
    withRolesPathOption(withVaultOptions(y))
      .positional('playbook', { type: 'string', describe: 'playbook file' })
      .option('inventory', { ...repeatable('inventory file or directory (repeat for several)', 'i'), demandOption: true })
      .option('extra-vars', repeatable('k=v pairs, JSON/YAML, or @file', 'e')),
  run: async (argv) => {
    const { leafTasks } = await import('../core/playbook/types.ts');
    const { loadCheckedInputs } = await import('./checked-inputs.ts');
    const { rolesPathOf } = await import('./roles-path-option.ts');
    const { playbook, inventory } = loadCheckedInputs(String(argv.playbook), argv.inventory as string[], argv['extra-vars'] as string[], rolesPathOf(argv));
    const tasks = playbook.plays.reduce((n, p) => n + leafTasks(p.tasks).length + p.handlers.length, 0);
    const hosts = new Set(playbook.plays.flatMap((p) => inventory.select(p.hosts))).size;
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    return {
      exitCode: ExitCode.ok,
      output: `${playbook.path}: OK (${plural(playbook.plays.length, 'play')}, ${plural(tasks, 'task')}, ${plural(hosts, 'host')})`,
    };
  },
};
