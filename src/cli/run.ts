/** `lvsdr run PLAYBOOK -i INVENTORY`: validate everything, then run it, showing events as they come. */
import type { Argv } from 'yargs';
import type { HostStats } from '../core/events.ts';
import { runPlaybook } from '../core/executor/run-playbook.ts';
import { taskSelected } from '../core/executor/tags.ts';
import type { Playbook } from '../core/playbook/types.ts';
import type { CliCommand, CliIo, CommandOutcome } from './command.ts';
import { sshConnectionFactory, withConnectionOptions, withInventoryOptions } from './connection-options.ts';
import { ExitCode } from './exit-codes.ts';
import { eventsToRenderer } from './run-output.ts';
import { loadCheckedInputs } from './validate.ts';
import { repeatable } from './repeatable.ts';

export const DEFAULT_TASK_TIMEOUT_S = 300;

export const runCommand: CliCommand = {
  command: 'run <playbook>',
  describe: 'run a playbook against an inventory',
  builder: (y: Argv) =>
    withConnectionOptions(withInventoryOptions(y))
      .positional('playbook', { type: 'string', describe: 'playbook file' })
      .option('check', { alias: 'C', type: 'boolean', default: false, describe: 'dry run: change nothing, report what would change' })
      .option('diff', { alias: 'D', type: 'boolean', default: false, describe: 'show file diffs and before → after of settings' })
      .option('extra-vars', repeatable('k=v pairs, JSON/YAML, or @file (highest precedence)', 'e'))
      .option('tags', repeatable('only tasks with these tags (comma-separated or repeated)', 't'))
      .option('skip-tags', repeatable('skip tasks with these tags'))
      .option('list-hosts', { type: 'boolean', default: false, describe: 'list the hosts each play targets, then stop' })
      .option('list-tasks', { type: 'boolean', default: false, describe: 'list the tasks of each play, then stop' })
      .option('syntax-check', { type: 'boolean', default: false, describe: 'validate only, then stop' })
      .option('timeout', { type: 'number', default: DEFAULT_TASK_TIMEOUT_S, describe: 'seconds before a remote command of a task is killed' })
      .option('json', { type: 'boolean', default: false, describe: 'JSON lines: one per event and the recap' })
      .option('verbose', { alias: 'v', type: 'count', describe: 'show remote commands (-v) and task starts (-vv)' }),
  run: async (argv, io) => runPlaybookCommand(argv, io),
};

async function runPlaybookCommand(argv: Record<string, unknown>, io: CliIo): Promise<CommandOutcome> {
  const { playbook, inventory, extraVars } = loadCheckedInputs(String(argv.playbook), argv.inventory as string[], argv['extra-vars'] as string[]);
  const tags = splitList(argv.tags);
  const skipTags = splitList(argv['skip-tags']);
  if (argv['syntax-check']) return { exitCode: ExitCode.ok, output: `playbook: ${playbook.path}: syntax OK` };
  if (argv['list-hosts']) return { exitCode: ExitCode.ok, output: listHosts(playbook, (p) => inventory.select(p), argv.limit as string | undefined) };
  if (argv['list-tasks']) return { exitCode: ExitCode.ok, output: listTasks(playbook, tags, skipTags) };

  const { events, renderer } = eventsToRenderer(argv, io, true);
  const interrupt = new AbortController();
  const onSigint = (): void => {
    if (interrupt.signal.aborted) {
      io.stderr('\nlvsdr: interrupted twice, aborting at once\n');
      process.exit(ExitCode.interrupted);
    }
    io.stderr('\nlvsdr: interrupted: no new tasks start; waiting for commands in flight (Ctrl-C again aborts at once)\n');
    interrupt.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    const summary = await runPlaybook(playbook, inventory, {
      check: Boolean(argv.check),
      forks: Math.max(1, Number(argv.forks)),
      limit: argv.limit as string | undefined,
      tags,
      skipTags,
      extraVars,
      become: Boolean(argv.become),
      taskTimeoutMs: Number(argv.timeout) * 1000,
      signal: interrupt.signal,
      connectionFor: sshConnectionFactory(argv),
      events,
    });
    if (summary.interrupted) return { exitCode: ExitCode.interrupted };
    return { exitCode: exitCodeOf(Object.values(summary.stats)) };
  } finally {
    process.off('SIGINT', onSigint);
    await renderer.finish();
  }
}

/** 2 when a host failed, 3 when one was unreachable and none failed, else 0 (README). */
export function exitCodeOf(stats: HostStats[]): number {
  if (stats.some((s) => s.failed > 0)) return ExitCode.hostFailed;
  if (stats.some((s) => s.unreachable > 0)) return ExitCode.hostUnreachable;
  return ExitCode.ok;
}

function splitList(v: unknown): string[] {
  return ((v as string[] | undefined) ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
}

function listHosts(playbook: Playbook, select: (pattern: string) => string[], limit?: string): string {
  const limited = limit ? new Set(select(limit)) : undefined;
  const lines = [`playbook: ${playbook.path}`];
  for (const play of playbook.plays) {
    const hosts = select(play.hosts).filter((h) => !limited || limited.has(h));
    lines.push('', `  play: ${play.name} (${hosts.length} hosts)`, ...hosts.map((h) => `    ${h}`));
  }
  return lines.join('\n');
}

function listTasks(playbook: Playbook, tags: string[], skipTags: string[]): string {
  const lines = [`playbook: ${playbook.path}`];
  for (const play of playbook.plays) {
    lines.push('', `  play: ${play.name}`);
    for (const t of play.tasks) {
      if (!taskSelected([...play.tags, ...t.tags], tags, skipTags)) continue;
      lines.push(`    ${t.name}${t.tags.length ? `\tTAGS: [${t.tags.join(', ')}]` : ''}`);
    }
  }
  return lines.join('\n');
}
