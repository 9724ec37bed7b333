/**
 * Reading a run record back (output/record-writer.ts wrote it). A record that a killed run left
 * behind is still read: its last line may be cut off and its end line missing, and both are said in
 * `problems` so the report shows what there is and says what is missing. A line that cannot be read
 * anywhere else means the file was changed or damaged: that is an error naming the file and line.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { UserError } from '../core/errors.ts';
import { RECORD_FORMAT, type RecordEnd, type RecordHeader } from '../output/record-writer.ts';

/** An event as its record line holds it: the `--json` line of the event, with `t`. */
export type RecordedEvent = { type: string; t: number } & Record<string, any>;

export interface RunRecord {
  file: string;
  header: RecordHeader;
  events: RecordedEvent[];
  end?: RecordEnd;
  /** What is wrong with a record a run left unfinished, for the report to show. */
  problems: string[];
}

const text = { type: 'string' };
const strings = { type: 'array', items: text };
const pos = { type: 'object', required: ['file', 'line'], properties: { file: text, line: { type: 'integer' } } };

/** The fields of each line that the report reads; anything else a line holds is passed along. */
const LINE_SCHEMA = {
  type: 'object',
  required: ['type'],
  properties: { type: text, t: { type: 'number' } },
  allOf: [
    {
      if: { properties: { type: { const: 'record:start' } } },
      then: { required: ['format', 'kind', 'runId', 'command', 'start', 'inventories', 'playbooks'], properties: { format: { const: RECORD_FORMAT }, command: strings, start: text } },
    },
    { if: { properties: { type: { const: 'record:end' } } }, then: { required: ['t', 'exitCode'], properties: { exitCode: { type: 'integer' } } } },
    {
      if: { properties: { type: { const: 'task:result' } } },
      then: { required: ['t', 'host', 'task', 'status', 'pos', 'changes'], properties: { host: text, task: text, status: { enum: ['ok', 'changed', 'skipped', 'failed', 'unreachable'] }, pos, changes: { type: 'array' } } },
    },
    { if: { properties: { type: { const: 'recap' } } }, then: { required: ['t', 'stats'], properties: { stats: { type: 'object' } } } },
    { if: { properties: { type: { const: 'play:start' } } }, then: { required: ['t', 'play', 'hosts'], properties: { play: text, hosts: strings } } },
    { if: { properties: { type: { const: 'rollout:step' } } }, then: { required: ['t', 'step', 'hosts'], properties: { step: text, hosts: strings } } },
  ],
};

const validLine = new Ajv({ allErrors: false }).compile(LINE_SCHEMA);

export function readRunRecord(file: string): RunRecord {
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError({ message: `cannot read the run record ${file}: ${(err as Error).message}`, hint: "'lvsdr report --list' lists the runs recorded here" });
  }
  const lines = content.split('\n');
  const finished = content.endsWith('\n');
  if (finished) lines.pop();
  const problems: string[] = [];
  const parsed: RecordedEvent[] = [];
  for (const [i, line] of lines.entries()) {
    const last = i === lines.length - 1;
    const value = parseLine(line);
    if (typeof value === 'string') {
      if (last && !finished && i > 0) {
        problems.push(`${file}:${i + 1}: the last line is cut off (${value}): the run stopped while writing it`);
        break;
      }
      throw new UserError({ message: `${file}:${i + 1}: not a run record line: ${value}`, hint: 'the record was changed or damaged after the run wrote it' });
    }
    parsed.push(value);
  }
  const [header, ...rest] = parsed;
  if (header?.type !== 'record:start') {
    throw new UserError({ message: `${file}:1: not an lvsdr run record (its first line is not a record:start line)`, hint: 'give a record from the record directory (.lvsdr/runs by default)' });
  }
  const endAt = rest.findIndex((e) => e.type === 'record:end');
  if (endAt === -1) problems.push(`${file}: no end line: the run was killed or the controller stopped before the run finished; the events recorded until then are shown`);
  return {
    file,
    header: header as unknown as RecordHeader,
    events: endAt === -1 ? rest : rest.slice(0, endAt),
    ...(endAt === -1 ? {} : { end: rest[endAt] as unknown as RecordEnd }),
    problems,
  };
}

/** The line's value, or what is wrong with it. */
function parseLine(line: string): RecordedEvent | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return `not JSON: ${(err as Error).message}`;
  }
  if (validLine(value)) return value as RecordedEvent;
  const e = validLine.errors![0];
  return `${e.instancePath || 'the line'} ${e.message}`;
}
