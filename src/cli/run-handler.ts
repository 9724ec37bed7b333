/** What `lvsdr run` does (its flags: run.ts). */
import type { HostStats } from '../core/events.ts';
import { runPlaybook } from '../core/executor/run-playbook.ts';
import { findStartAt, type StartAt } from '../core/executor/start-at-task.ts';
import { taskSelected } from '../core/executor/tags.ts';
import { UserError } from '../core/errors.ts';
import type { SelectOptions } from '../core/inventory/types.ts';
import { allTasks, leafTasks, type Play, type Playbook } from '../core/playbook/types.ts';
import { loadCheckedInputs } from './checked-inputs.ts';
import { rolesPathOf } from './roles-path-option.ts';
import type { CliIo, CommandOutcome } from './command.ts';
import { ExitCode } from './exit-codes.ts';
import { eventsToRenderer } from './run-output.ts';
import { runLock } from './run-lock.ts';
import { runTerminal } from './terminal-prompt.ts';
import { withRunRecord } from './run-record.ts';
import { accessDefaults, connectionFactory } from './connection-factory.ts';

export async function runPlaybookCommand(argv: Record<string, unknown>, io: CliIo): Promise<CommandOutcome> {
  const { playbook, inventory, extraVars } = loadCheckedInputs(String(argv.playbook), argv.inventory as string[], argv['extra-vars'] as string[], rolesPathOf(argv));
  const tags = splitList(argv.tags);
  const skipTags = splitList(argv['skip-tags']);
  if (argv['syntax-check']) return { exitCode: ExitCode.ok, output: `playbook: ${playbook.path}: syntax OK` };
  if (argv['list-hosts']) return { exitCode: ExitCode.ok, output: listHosts(playbook, (p, o) => inventory.select(p, undefined, o), argv.limit as string | undefined) };
  if (argv['list-tasks']) return { exitCode: ExitCode.ok, output: listTasks(playbook, tags, skipTags) };
  if (argv['list-tags']) return { exitCode: ExitCode.ok, output: listTags(playbook, tags, skipTags) };

  const startAt = argv['start-at-task'] === undefined ? undefined : startAtTask(playbook, String(argv['start-at-task']), tags, skipTags);
  const interrupt = new AbortController();
  const onSigint = (): void => {
    if (interrupt.signal.aborted) {
      io.stderr('\nlvsdr: interrupted twice, aborting at once\n');
      process.exit(ExitCode.interrupted);
    }
    io.stderr('\nlvsdr: interrupted: no new tasks start; waiting for commands in flight (Ctrl-C again aborts at once)\n');
    interrupt.abort();
  };
  const terminal = runTerminal(interrupt.signal, onSigint);
  // A pause shows its prompt on the terminal, which live rows, redrawn beside it, would overwrite.
  const { events, renderer } = eventsToRenderer(argv, io, !(terminal && playbook.plays.some(pausesIn)));
  const check = Boolean(argv.check);
  const lock = runLock(argv, `run ${playbook.path}`);
  const recorded = { kind: 'run' as const, runId: lock.runId, check, inventories: argv.inventory as string[], playbooks: [playbook.path] };
  process.on('SIGINT', onSigint);
  try {
    return await withRunRecord(argv, io, recorded, events, async () => {
      const summary = await runPlaybook(playbook, inventory, {
        check,
        forks: Number(argv.forks),
        limit: argv.limit as string | undefined,
        tags,
        skipTags,
        extraVars,
        ...accessDefaults(argv),
        taskTimeoutMs: Number(argv['command-timeout']) * 1000,
        ...(terminal ? { terminal } : {}),
        signal: interrupt.signal,
        connectionFor: connectionFactory(argv),
        events,
        lock,
        ...(startAt ? { startAt } : {}),
      });
      if (summary.interrupted) return { exitCode: ExitCode.interrupted };
      const exitCode = summary.controllerFault ? ExitCode.controllerLimit : exitCodeOf(Object.values(summary.stats), Boolean(argv['detailed-exitcode']));
      if (summary.controllerFault) io.stderr(`lvsdr: run stopped: ${summary.controllerFault}\n`);
      events.emit({ type: 'summary', ...hostsByOutcome(summary.stats), check, exitCode });
      return { exitCode };
    });
  } finally {
    process.off('SIGINT', onSigint);
    await renderer.finish();
  }
}

/** A pause among the play's tasks, or in a file an include_tasks reads only when a host reaches it. */
function pausesIn(play: Play): boolean {
  return allTasks([...play.tasks, ...play.handlers]).some((t) => t.module === 'pause' || t.include?.read);
}

/**
 * 2 when a host failed, 3 when one was unreachable and none failed, else 0 (README); with
 * `detailed` (terraform's -detailed-exitcode, for cron and CI drift checks) 10 instead of 0 when a
 * host changed, or in check mode would change.
 */
export function exitCodeOf(stats: HostStats[], detailed = false): number {
  if (stats.some((s) => s.failed > 0)) return ExitCode.hostFailed;
  if (stats.some((s) => s.unreachable > 0)) return ExitCode.hostUnreachable;
  if (detailed && stats.some((s) => s.changed > 0)) return ExitCode.changesPending;
  return ExitCode.ok;
}

/** The hosts of a run by how they ended, for the one-line summary. */
function hostsByOutcome(stats: Record<string, HostStats>): { changed: string[]; failed: string[]; unreachable: string[] } {
  const hosts = Object.entries(stats);
  const where = (test: (s: HostStats) => boolean): string[] => hosts.filter(([, s]) => test(s)).map(([h]) => h);
  return { changed: where((s) => s.changed > 0), failed: where((s) => s.failed > 0), unreachable: where((s) => s.unreachable > 0) };
}

/**
 * --start-at-task's task, or a usage error: ansible-playbook runs nothing and exits 0 after "No
 * matching task found"; lvsdr says so before contacting any host.
 */
function startAtTask(playbook: Playbook, pattern: string, tags: string[], skipTags: string[]): StartAt {
  const found = findStartAt(playbook.plays, pattern, (play, t) => taskSelected([...play.tags, ...t.tags], tags, skipTags));
  if (!found) {
    throw new UserError({
      message: `--start-at-task ${JSON.stringify(pattern)} matches no task${tags.length + skipTags.length > 0 ? ' the tags select' : ''}`,
      hint: "give a task's name (a role's task as 'role : name'), or a pattern with * and ?; --list-tasks lists them",
    });
  }
  return found;
}

function splitList(v: unknown): string[] {
  return ((v as string[] | undefined) ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
}

function listHosts(playbook: Playbook, select: (pattern: string, options?: SelectOptions) => string[], limit?: string): string {
  const limited = limit ? new Set(select(limit, { implicitLocalhost: false })) : undefined;
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
    for (const t of leafTasks(play.tasks)) {
      if (!taskSelected([...play.tags, ...t.tags], tags, skipTags)) continue;
      lines.push(`    ${t.name}${t.tags.length ? `\tTAGS: [${t.tags.join(', ')}]` : ''}`);
    }
  }
  return lines.join('\n');
}

/** ansible-playbook --list-tags: each play's own tags, and the tags of the tasks --tags/--skip-tags select. */
function listTags(playbook: Playbook, tags: string[], skipTags: string[]): string {
  const lines = [`playbook: ${playbook.path}`];
  playbook.plays.forEach((play, i) => {
    const taskTags = new Set<string>();
    for (const t of leafTasks(play.tasks)) {
      const all = [...play.tags, ...t.tags];
      if (taskSelected(all, tags, skipTags)) all.forEach((tag) => taskTags.add(tag));
    }
    lines.push('', `  play #${i + 1} (${play.hosts}): ${play.name}\tTAGS: [${play.tags.join(', ')}]`, `      TASK TAGS: [${[...taskTags].sort().join(', ')}]`);
  });
  return lines.join('\n');
}
