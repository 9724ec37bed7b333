/** `lvsdr run PLAYBOOK -i INVENTORY`: validate everything, then run it, showing events as they come. */
import type { Argv } from 'yargs';
import type { CliCommand } from './command.ts';
import { withConnectionOptions, withInventoryOptions } from './connection-options.ts';
import { repeatable } from './repeatable.ts';
import { withLockOptions } from './run-lock.ts';
import { withRecordOptions } from './run-record.ts';
import { checkNumberFlags } from './seconds-option.ts';
import { withRolesPathOption } from './roles-path-option.ts';
import { withVaultOptions } from './vault-options.ts';

export const DEFAULT_TASK_TIMEOUT_S = 300;

/** The command timeout flag of run and rollout; `-T/--timeout` is the connection's, as in Ansible. */
export function withCommandTimeout(y: Argv): Argv {
  return checkNumberFlags(
    y.option('command-timeout', {
      type: 'number',
      default: DEFAULT_TASK_TIMEOUT_S,
      describe: "seconds before a task's remote command is killed (a task's own `timeout:` wins)",
    }),
    [{ flag: 'command-timeout', min: 0, above: true, hint: 'give more than 0, e.g. --command-timeout 600' }],
  );
}

export const runCommand: CliCommand = {
  command: 'run <playbook>',
  describe: 'run a playbook against an inventory',
  builder: (y: Argv) =>
    withRecordOptions(withRolesPathOption(withVaultOptions(withCommandTimeout(withLockOptions(withConnectionOptions(withInventoryOptions(y)))))))
      .positional('playbook', { type: 'string', describe: 'playbook file' })
      .option('check', { alias: 'C', type: 'boolean', default: false, describe: 'dry run: change nothing, report what would change' })
      .option('diff', { alias: 'D', type: 'boolean', defaultDescription: 'false, or ansible.cfg [diff] always', describe: 'show file diffs and before → after of settings' })
      .option('extra-vars', repeatable('k=v pairs, JSON/YAML, or @file (highest precedence)', 'e'))
      .option('tags', repeatable('only tasks with these tags (comma-separated or repeated)', 't'))
      .option('skip-tags', repeatable('skip tasks with these tags'))
      .option('start-at-task', { type: 'string', describe: "start at the first task of this name (or fnmatch pattern), as ansible-playbook's: earlier plays and tasks do not run" })
      .option('list-hosts', { type: 'boolean', default: false, describe: 'list the hosts each play targets, then stop' })
      .option('list-tasks', { type: 'boolean', default: false, describe: 'list the tasks of each play, then stop' })
      .option('flush-cache', { type: 'boolean', default: false, describe: "as ansible-playbook's: lvsdr keeps no facts between runs, so there is never a cache to flush" })
      .option('list-tags', { type: 'boolean', default: false, describe: 'list the tags of each play and of its selected tasks, then stop' })
      .option('syntax-check', { type: 'boolean', default: false, describe: 'validate only, then stop' })
      .option('detailed-exitcode', {
        type: 'boolean',
        default: false,
        describe: 'exit 10 when every host succeeded and some changed (with --check: changes are pending), 0 only when nothing changed',
      })
      .option('json', { type: 'boolean', default: false, describe: 'JSON lines: one per event, the recap, then a summary line' })
      .option('verbose', { alias: 'v', type: 'count', describe: 'show remote commands (-v) and task starts (-vv)' }),
  run: async (argv, io) => (await import('./run-handler.ts')).runPlaybookCommand(argv, io),
};
