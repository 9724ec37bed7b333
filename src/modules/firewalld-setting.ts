/**
 * Changing one setting of a firewalld zone (a port, a service, a rich rule, a source, an interface,
 * masquerade) in the runtime or the permanent configuration, with firewall-cmd's `--add-*` /
 * `--remove-*`; read as facts (src/facts/firewalld.ts). Without a running firewalld there is no
 * runtime configuration, and the permanent one is changed with firewall-offline-cmd.
 */
import { factEffect } from '../facts/fact.ts';
import { firewalldSettingPermanentFact, firewalldSettingRuntimeFact, settingOption, type ZoneSetting } from '../facts/firewalld.ts';
import { sh, type ShellText } from '../shell/quote.ts';

export type Configuration = 'runtime' | 'permanent';

/** The check-mode effect of setting `on` in one configuration. */
export const settingEffect = (s: ZoneSetting, which: Configuration, on: boolean): Record<string, unknown> =>
  which === 'runtime' ? factEffect(firewalldSettingRuntimeFact, s, on) : factEffect(firewalldSettingPermanentFact, s, on);

/** The command that adds or removes the setting in one configuration; offline when firewalld is stopped. */
export function settingCommand(s: ZoneSetting, which: Configuration, on: boolean, running: boolean): ShellText {
  // An interface belongs to one zone: --change-interface moves it from another zone, as Ansible's module does.
  const op = on ? (s.kind === 'interface' ? 'change' : 'add') : 'remove';
  const tool = which === 'runtime' ? sh`firewall-cmd` : running ? sh`firewall-cmd --permanent` : sh`firewall-offline-cmd`;
  return sh`${tool}${settingOption(s, op)}`;
}
