/**
 * Debian ships no unit that restores arptables rules at boot, so lvsdr installs its own. It runs
 * where netfilter-persistent runs — before network-pre.target — so the ARP rules are in place
 * before any interface is up and before lvsdr's VIP units add the VIPs.
 */
export const ARPTABLES_RESTORE_UNIT = 'lvsdr-arptables-restore.service';

/** Paths reach the unit text unquoted: both come from the schema-checked path pattern or facts. */
export function arptablesRestoreUnit(restoreCommand: string, file: string): string {
  return `# Written by lvsdr: restores the ARP rules saved in ${file} at boot.
[Unit]
Description=Restore arptables rules (lvsdr)
DefaultDependencies=no
Wants=network-pre.target
Before=network-pre.target shutdown.target
After=systemd-modules-load.service local-fs.target
Conflicts=shutdown.target
ConditionPathExists=${file}

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/sh -c 'exec ${restoreCommand} < ${file}'

[Install]
WantedBy=multi-user.target
`;
}
