/**
 * A planned change's commands, run in as few execs as their standard input allows (issue 6: each
 * exec is a round trip). Commands run in order and stop at the first failure, as one by one. A
 * group ends with the first command that has stdin (a file's content): the commands before it
 * read /dev/null, which is what an exec of their own gave them (an empty stdin). A command with
 * its own time limit (one that waits on purpose) runs alone. After each command but the last, a
 * marker line on stdout says it succeeded, so a failing group still tells which command failed.
 */
import type { RemoteCommand } from '../../modules/types.ts';

export interface CommandGroup {
  /** Indices into the commands given to commandGroups. */
  indices: number[];
  script: string;
  stdin?: string;
  /** The group's limit: one task timeout per command (or the command's own, when longer). */
  timeoutMs: number;
}

const doneLine = (marker: string, index: number): string => `${marker} done ${index}`;

export function commandGroups(commands: readonly RemoteCommand[], taskTimeoutMs: number, marker: string): CommandGroup[] {
  const groups: CommandGroup[] = [];
  let current: number[] = [];
  const flush = () => {
    if (current.length > 0) groups.push(groupOf(commands, current, taskTimeoutMs, marker));
    current = [];
  };
  commands.forEach((c, i) => {
    if (c.timeoutMs !== undefined) {
      flush();
      current = [i];
      flush();
      return;
    }
    current.push(i);
    if (c.stdin !== undefined) flush();
  });
  flush();
  return groups;
}

function groupOf(commands: readonly RemoteCommand[], indices: number[], taskTimeoutMs: number, marker: string): CommandGroup {
  const last = commands[indices[indices.length - 1]];
  const stdin = last.stdin !== undefined ? { stdin: last.stdin } : {};
  if (indices.length === 1) return { indices, script: last.command.text, ...stdin, timeoutMs: Math.max(taskTimeoutMs, last.timeoutMs ?? 0) };
  const script = indices
    .map((i, k) =>
      k === indices.length - 1 ? `( ${commands[i].command.text}\n)` : `( ${commands[i].command.text}\n) </dev/null && printf '\\n%s\\n' '${doneLine(marker, i)}'`,
    )
    .join(' && ');
  return { indices, script, ...stdin, timeoutMs: taskTimeoutMs * indices.length };
}

/** How many of the group's commands succeeded (all, when it exited 0), and its stdout without the markers. */
export function groupOutcome(group: CommandGroup, code: number | null, stdout: string, marker: string): { succeeded: number; stdout: string } {
  if (code === 0) return { succeeded: group.indices.length, stdout: removeMarkers(group, stdout, marker).text };
  const { text, found } = removeMarkers(group, stdout, marker);
  return { succeeded: found, stdout: text };
}

function removeMarkers(group: CommandGroup, stdout: string, marker: string): { text: string; found: number } {
  let text = stdout;
  let found = 0;
  for (const i of group.indices) {
    const line = `\n${doneLine(marker, i)}\n`;
    if (text.includes(line)) found++;
    text = text.replace(line, '');
  }
  return { text, found };
}
