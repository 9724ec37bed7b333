/**
 * Adopting an operator's keepalived.conf: its text as the keepalived module's arguments, checked
 * by the module's own schema and checks at the conf's line:col, and written as a YAML vars
 * document for the inventory (playbooks/director.yml writes `lvs_keepalived` when it is set).
 */
import { stringify } from 'yaml';
import { keepalivedAdoptedConf } from '../../modules/keepalived-adopt.ts';
import type { KeepalivedConfig } from '../../modules/keepalived-schema.ts';
import { keepalivedConfigProblems } from '../../modules/keepalived-problems.ts';
import { keepalivedModule } from '../../modules/keepalived.ts';
import { UserError } from '../errors.ts';
import { checkArgsAgainst } from '../playbook/args-schema.ts';

export const ADOPTED_VAR = 'lvs_keepalived';

/** The configuration a keepalived.conf holds, or a UserError listing everything lvsdr cannot adopt. */
export function adoptKeepalivedConfig(text: string, file: string): KeepalivedConfig {
  const adopted = keepalivedAdoptedConf(text, file);
  if (adopted.problems.length > 0) throw new UserError(adopted.problems);
  // The configuration's own checks: the rules that mark its fwmark services are not in the file
  // (keepalived does not write them); director.yml asks for them in lvs_keepalived.fwmark_rules.
  const asConfig = { ...keepalivedModule, argProblems: keepalivedConfigProblems };
  const problems = checkArgsAgainst(asConfig, { argPositions: adopted.positions, argsPos: { file, line: 1, col: 1 }, noLog: false }, adopted.config);
  if (problems.length > 0) throw new UserError(problems);
  return adopted.config;
}

/** The inventory vars document: `lvs_keepalived:` and the configuration, with where it came from. */
export function adoptedVarsYaml(config: KeepalivedConfig, file: string): string {
  const marks = [
    ...config.virtual_servers.flatMap((vs) => (vs.fwmark !== undefined ? [vs.fwmark] : [])),
    ...(config.virtual_server_groups ?? []).flatMap((g) => g.members.filter((m) => m.startsWith('fwmark ')).map((m) => Number(m.slice('fwmark '.length)))),
  ];
  return [
    `# ${file} adopted by lvsdr: put this in the director's host_vars (or group_vars/directors);`,
    '# playbooks/director.yml then writes this configuration instead of one built from lvs_vips.',
    '# It holds any VRRP auth_pass in clear: keep the file where your other secrets are.',
    // keepalived.conf does not hold the rules that mark a fwmark service's traffic; the playbook refuses the service without them.
    ...(marks.length > 0
      ? [`# Add ${ADOPTED_VAR}.fwmark_rules, the director's rules that mark fwmark ${[...new Set(marks)].join(', ')} (keepalived.conf does not hold them):`, '#   fwmark_rules: [{fwmark: N, destination: VIP, protocol: tcp, dport: PORT}, ...]']
      : []),
    stringify({ [ADOPTED_VAR]: config }, { lineWidth: 0 }),
  ].join('\n');
}
