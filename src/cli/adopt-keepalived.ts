/** `lvsdr adopt-keepalived FILE`: an existing keepalived.conf as inventory variables for playbooks/director.yml. */
import type { Argv } from 'yargs';
import type { CliCommand } from './command.ts';
import { ExitCode } from './exit-codes.ts';

export const adoptKeepalivedCommand: CliCommand = {
  command: 'adopt-keepalived <file>',
  describe: "read an existing keepalived.conf into lvs_keepalived (YAML for the director's host_vars); refuse what lvsdr cannot write back",
  builder: (y: Argv) => y.positional('file', { type: 'string', describe: 'the keepalived.conf to adopt (a copy of the director\'s)' }),
  run: async (argv) => {
    const { readFileSync } = await import('node:fs');
    const { UserError } = await import('../core/errors.ts');
    const { adoptKeepalivedConfig, adoptedVarsYaml } = await import('../core/adopt/keepalived-conf.ts');
    const file = String(argv.file);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new UserError({ message: `cannot read ${file}: ${(err as Error).message}`, hint: "copy the director's keepalived.conf here, e.g. scp director:/etc/keepalived/keepalived.conf ." });
    }
    return { exitCode: ExitCode.ok, output: adoptedVarsYaml(adoptKeepalivedConfig(text, file), file) };
  },
};
