/** What `lvsdr report` does (its flags: report.ts). */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../core/errors.ts';
import { formatDuration } from '../output/result-lines.ts';
import { findRecord, recordFiles } from '../report/record-dir.ts';
import { readRunRecord } from '../report/record-file.ts';
import { renderReport } from '../report/report-html.ts';
import { buildReport } from '../report/report-model.ts';
import type { CliIo, CommandOutcome } from './command.ts';
import { ExitCode } from './exit-codes.ts';

const LISTED = 20;

export async function report(argv: Record<string, unknown>, io: CliIo): Promise<CommandOutcome> {
  const dir = String(argv['record-dir']);
  if (argv.list) return { exitCode: ExitCode.ok, output: listRuns(dir, io) };
  const file = findRecord(dir, argv.run as string | undefined, Boolean(argv.last));
  const record = readRunRecord(file);
  for (const p of record.problems) io.stderr(`lvsdr: warning: ${p}\n`);
  const out = (argv.output as string | undefined) ?? file.replace(/\.jsonl$/, '') + '.html';
  try {
    writeFileSync(out, renderReport(buildReport(record)));
  } catch (err) {
    throw new UserError({ message: `cannot write the report ${out}: ${(err as Error).message}`, hint: 'give a writable file with -o FILE' });
  }
  return { exitCode: ExitCode.ok, output: out };
}

/** One line per run: when, exit status, how long, who, the command; the file last. */
function listRuns(dir: string, io: CliIo): string {
  const files = recordFiles(dir).slice(0, LISTED);
  if (files.length === 0) return `no run is recorded in ${dir}`;
  return files
    .map((file) => {
      try {
        const { header, end } = readRunRecord(file);
        const status = end ? `exit ${end.exitCode}`.padEnd(8) : 'unfinished';
        const took = end ? formatDuration(end.t).padStart(7) : '      ?';
        return `${header.start}  ${status}  ${took}  ${header.check ? '(check) ' : ''}${header.user}@${header.controller}  ${header.command.join(' ')}  ${path.basename(file)}`;
      } catch (err) {
        io.stderr(`lvsdr: warning: ${(err as Error).message}\n`);
        return `${path.basename(file)}  unreadable`;
      }
    })
    .join('\n');
}
