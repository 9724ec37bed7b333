/**
 * Runs several probes in one exec (one round trip) and splits the output back into one
 * ExecResult per probe. Round trips are the budget of a run (issue 6), so a task's probes — and
 * the facts — never cost more than one each.
 */
import type { Connection, ExecOptions, ExecResult } from '../../connection/types.ts';
import type { BatchedRead, Probe } from '../../facts/fact.ts';
import { uniqueMarker } from '../../shell/marker.ts';
import { ShellText } from '../../shell/quote.ts';

/**
 * Words that can end or reconfigure the shell running the batch. A probe using any of them runs in
 * a subshell of its own, so it cannot end or change the others; every other probe runs in a plain
 * `{ }` group. A subshell is a fork, and on a busy host a fork costs about as much as a round trip's
 * worth of CPU per dozen probes (issue 6), so the group is the default.
 */
const NEEDS_SUBSHELL = /(^|[^A-Za-z0-9_-])(exit|exec|return|cd|set|shift|trap|umask|ulimit|unset|readonly|export|eval|\.|source|IFS=|PATH=)(?![A-Za-z0-9_-])/;

/**
 * Begin/end markers on both streams around each probe. The end marker is printed after a newline
 * of our own (a probe's output need not end in one), which the splitter removes again.
 */
export function batchScript(commands: ShellText[], marker: string): ShellText {
  const parts = commands.map((c, i) => {
    const body = NEEDS_SUBSHELL.test(c.text) ? `( ${c.text}\n)` : `{ ${c.text}\n}`;
    return (
      `printf '%s\\n' '${marker} begin ${i}'; printf '%s\\n' '${marker} begin ${i}' >&2; ${body}; ` +
      `printf '\\n%s\\n' "${marker} end ${i} $?"; printf '\\n%s\\n' '${marker} end ${i}' >&2`
    );
  });
  return new ShellText(parts.join('\n'));
}

export function splitBatchOutput(count: number, stdout: string, stderr: string, marker: string): ExecResult[] {
  const results: ExecResult[] = [];
  for (let i = 0; i < count; i++) {
    const out = between(stdout, `${marker} begin ${i}\n`, `\n${marker} end ${i} `);
    const err = between(stderr, `${marker} begin ${i}\n`, `\n${marker} end ${i}\n`);
    if (out === undefined) {
      results.push({ code: null, stdout: '', stderr: 'probe output missing (the connection may have dropped)' });
      continue;
    }
    const codeText = stdout.slice(stdout.indexOf(`\n${marker} end ${i} `) + `\n${marker} end ${i} `.length).split('\n')[0];
    results.push({ code: Number(codeText), stdout: out, stderr: err ?? '' });
  }
  return results;
}

function between(text: string, start: string, end: string): string | undefined {
  const a = text.indexOf(start);
  if (a < 0) return undefined;
  const b = text.indexOf(end, a + start.length);
  if (b < 0) return undefined;
  return text.slice(a + start.length, b);
}

/** Two probes are the same read when they run the same command for the same state key. */
export function probeId(p: { key: string; command: ShellText }): string {
  return `${p.key}\0${p.command.text}`;
}

/** The state key a probeId was made from. */
export const keyOfProbeId = (id: string): string => id.slice(0, id.indexOf('\0'));

async function execBatch(conn: Connection, commands: ShellText[], options: ExecOptions = {}): Promise<ExecResult[]> {
  if (commands.length === 0) return [];
  if (commands.length === 1) return [await conn.exec(commands[0].text, options)];
  const marker = uniqueMarker();
  const r = await conn.exec(batchScript(commands, marker).text, options);
  return splitBatchOutput(commands.length, r.stdout, r.stderr, marker);
}

/**
 * Runs probes in one exec: each plain probe as its own command, and the shared ones (sysctls,
 * units, files) as one command per kind, split back into one result per probe (a shared probe's
 * part, which its `shared.parse` reads: facts/fact.ts parseRead).
 */
export async function runProbes(conn: Connection, probes: readonly Probe[], options: ExecOptions = {}): Promise<ExecResult[]> {
  const commands: ShellText[] = [];
  const collect: ((results: ExecResult[]) => ExecResult)[] = [];
  const kinds = new Map<BatchedRead, { index: number; args: string[] }>();
  for (const p of probes) {
    if (!p.shared) {
      const index = commands.push(p.command) - 1;
      collect.push((results) => results[index]);
      continue;
    }
    const { batch, arg } = p.shared;
    let group = kinds.get(batch);
    if (!group) kinds.set(batch, (group = { index: -1, args: [] }));
    if (!group.args.includes(arg)) group.args.push(arg);
    const g = group;
    collect.push((results) => batch.split(results[g.index], g.args)[g.args.indexOf(arg)]);
  }
  for (const [batch, group] of kinds) group.index = commands.push(batch.command(group.args)) - 1;
  const results = await execBatch(conn, commands, options);
  return collect.map((f) => f(results));
}
