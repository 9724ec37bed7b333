/** `lvsdr validate PLAYBOOK -i INVENTORY [-e ...]`: every problem at once, without connecting to anything. */
import type { Argv } from 'yargs';
import { ProblemList, UserError } from '../core/errors.ts';
import { parseExtraVars } from '../core/extra-vars.ts';
import { loadInventory } from '../core/inventory/index.ts';
import type { Inventory } from '../core/inventory/types.ts';
import type { Playbook } from '../core/playbook/types.ts';
import { loadValidPlaybook, sortProblems } from '../core/playbook/validate.ts';
import type { CliCommand } from './command.ts';
import { ExitCode } from './exit-codes.ts';
import { repeatable } from './repeatable.ts';

export interface CheckedInputs {
  playbook: Playbook;
  inventory: Inventory;
  extraVars: Record<string, unknown>;
}

/**
 * Reads the inventory, the extra vars and the playbook, and checks them together; any problem in
 * any of them (all of them, in file order) is one UserError. What `run` needs before connecting.
 */
export function loadCheckedInputs(playbookPath: string, inventoryPaths: string[], extraVarArgs: string[]): CheckedInputs {
  const problems = new ProblemList();
  const attempt = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      problems.addAll(err.problems);
      return undefined;
    }
  };
  const inventory = attempt(() => loadInventory(inventoryPaths));
  const extraVars = attempt(() => parseExtraVars(extraVarArgs));
  const playbook = attempt(() => loadValidPlaybook(playbookPath, inventory, { extraVars: extraVars ?? {}, problems }));
  if (!problems.empty || !playbook || !inventory || !extraVars) throw new UserError(sortProblems(problems.items));
  return { playbook, inventory, extraVars };
}

export const validateCommand: CliCommand = {
  command: 'validate <playbook>',
  describe: 'check a playbook against an inventory without connecting: every problem at once',
  builder: (y: Argv) =>
    y
      .positional('playbook', { type: 'string', describe: 'playbook file' })
      .option('inventory', { ...repeatable('inventory file or directory (repeat for several)', 'i'), demandOption: true })
      .option('extra-vars', repeatable('k=v pairs, JSON/YAML, or @file', 'e')),
  run: async (argv) => {
    const { playbook, inventory } = loadCheckedInputs(String(argv.playbook), argv.inventory as string[], argv['extra-vars'] as string[]);
    const tasks = playbook.plays.reduce((n, p) => n + p.tasks.length + p.handlers.length, 0);
    const hosts = new Set(playbook.plays.flatMap((p) => inventory.select(p.hosts))).size;
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    return {
      exitCode: ExitCode.ok,
      output: `${playbook.path}: OK (${plural(playbook.plays.length, 'play')}, ${plural(tasks, 'task')}, ${plural(hosts, 'host')})`,
    };
  },
};
