/**
 * Adopting an operator's keepalived.conf: its text as the keepalived module's arguments, checked
 * by the module's own schema and checks at the conf's line:col, and written as a YAML vars
 * document for the inventory (playbooks/director.yml writes `lvs_keepalived` when it is set).
 */
import { stringify } from 'yaml';
import { keepalivedAdoptedConf } from '../../modules/keepalived-adopt.ts';
import type { KeepalivedConfig } from '../../modules/keepalived-schema.ts';
import { keepalivedModule } from '../../modules/keepalived.ts';
import { UserError } from '../errors.ts';
import { checkArgsAgainst } from '../playbook/args-schema.ts';

export const ADOPTED_VAR = 'lvs_keepalived';

/** The configuration a keepalived.conf holds, or a UserError listing everything lvsdr cannot adopt. */
export function adoptKeepalivedConfig(text: string, file: string): KeepalivedConfig {
  const adopted = keepalivedAdoptedConf(text, file);
  if (adopted.problems.length > 0) throw new UserError(adopted.problems);
  const problems = checkArgsAgainst(keepalivedModule, { argPositions: adopted.positions, argsPos: { file, line: 1, col: 1 }, noLog: false }, adopted.config);
  if (problems.length > 0) throw new UserError(problems);
  return adopted.config;
}

/** The inventory vars document: `lvs_keepalived:` and the configuration, with where it came from. */
export function adoptedVarsYaml(config: KeepalivedConfig, file: string): string {
  return [
    `# ${file} adopted by lvsdr: put this in the director's host_vars (or group_vars/directors);`,
    '# playbooks/director.yml then writes this configuration instead of one built from lvs_vips.',
    '# It holds any VRRP auth_pass in clear: keep the file where your other secrets are.',
    stringify({ [ADOPTED_VAR]: config }, { lineWidth: 0 }),
  ].join('\n');
}
