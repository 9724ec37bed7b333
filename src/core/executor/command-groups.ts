/**
 * A plan's commands (its changes', or an action's), run in as few execs as possible (issue 6: each
 * exec is a round trip and a login shell on the host). Commands run in order and stop at the first
 * failure, as one by one. A command with its own time limit (one that waits on purpose) runs alone;
 * all others of a plan share one exec. After each command but the last, a marker line on stdout says it
 * succeeded, so a failing group still tells which command failed.
 *
 * Input: a command that reads standard input (a file's content) gets it from a here-document, and
 * a group holding one is a script the connection sends on a shell's standard input
 * (ExecOptions.scriptOnInput), so contents never appear on a command line. Every other command reads /dev/null, which is what an exec of its own
 * gave it, and which keeps it from reading the rest of the script.
 */
import type { RemoteCommand } from '../../modules/types.ts';

export interface CommandGroup {
  /** Indices into the commands given to commandGroups. */
  indices: number[];
  script: string;
  stdin?: string;
  /** The script holds a command's input: ExecOptions.scriptOnInput. */
  scriptOnInput?: boolean;
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
  });
  flush();
  return groups;
}

function groupOf(commands: readonly RemoteCommand[], indices: number[], taskTimeoutMs: number, marker: string): CommandGroup {
  const last = commands[indices[indices.length - 1]];
  if (indices.length === 1) {
    return { indices, script: last.command.text, ...(last.stdin !== undefined ? { stdin: last.stdin } : {}), timeoutMs: Math.max(taskTimeoutMs, last.timeoutMs ?? 0) };
  }
  // Each command's line ends its and-list with `&&`, so the next line (after any here-document
  // body) continues it: the first failure ends the script with that command's status.
  const script = indices
    .map((i, k) => {
      const then = k === indices.length - 1 ? '' : ` && printf '\\n%s\\n' '${doneLine(marker, i)}' &&`;
      const { command, stdin } = commands[i];
      return stdin === undefined ? `( ${command.text}\n) </dev/null${then}\n` : fedFrom(command.text, stdin, `${marker.replace(/\W/g, '')}_${i}`, then);
    })
    .join('');
  const timeoutMs = taskTimeoutMs * indices.length;
  if (!indices.some((i) => commands[i].stdin !== undefined)) return { indices, script, timeoutMs };
  return { indices, script, scriptOnInput: true, timeoutMs };
}

/**
 * A command fed `input` from a here-document. The document always ends in a newline, so input
 * without one is cut back to its own length by head. The document's operator comes after the
 * command's own lines: a shell reads a pending document's body at the very next newline.
 */
function fedFrom(command: string, input: string, delimiter: string, then: string): string {
  if (input.split('\n').includes(delimiter)) throw new Error(`internal: a command's input holds the line ${delimiter}`);
  if (input === '' || input.endsWith('\n')) return `( ${command}\n) <<'${delimiter}'${then}\n${input}${delimiter}\n`;
  return `{ head -c ${Buffer.byteLength(input)} | ( ${command}\n); } <<'${delimiter}'${then}\n${input}\n${delimiter}\n`;
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
