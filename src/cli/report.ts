/** `lvsdr report [RUN | --last] [-o FILE]`, `lvsdr report --list`: a recorded run as one HTML file. */
import type { Argv } from 'yargs';
import type { CliCommand } from './command.ts';
import { DEFAULT_RECORD_DIR } from './run-record.ts';

export const reportCommand: CliCommand = {
  command: 'report [run]',
  describe: 'write a recorded run as one self-contained HTML file (--list: the recent runs)',
  builder: (y: Argv) =>
    y
      .positional('run', { type: 'string', describe: 'a record file, a run id, or the start of a record name (default: the newest)' })
      .option('last', { type: 'boolean', describe: 'the newest recorded run' })
      .option('list', { type: 'boolean', default: false, describe: 'list the recent runs, newest first' })
      .option('output', { alias: 'o', type: 'string', describe: 'the HTML file to write (default: beside the record, .html)' })
      .option('record-dir', { type: 'string', default: DEFAULT_RECORD_DIR, describe: 'where run records are kept' })
      .conflicts('last', 'run'),
  run: async (argv, io) => (await import('./report-handler.ts')).report(argv, io),
};
