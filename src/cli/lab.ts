/**
 * `lvsdr lab up|down|status|ssh|reboot|probe`: real test hosts in network namespaces (src/lab/).
 */
import type { Argv } from 'yargs';
import type { CliCommand } from './command.ts';

const ACTIONS = ['up', 'down', 'status', 'ssh', 'reboot', 'poweroff', 'probe'] as const;
export type LabAction = (typeof ACTIONS)[number];

export const labCommand: CliCommand = {
  command: 'lab <action> [args..]',
  describe: 'real test hosts in network namespaces: up, down, status, ssh HOST [-- CMD], reboot HOST…, poweroff HOST… [--hard], probe VIP[:PORT]',
  builder: (yargs: Argv) =>
    yargs
      .positional('action', { choices: ACTIONS, describe: 'what to do' })
      .positional('args', { type: 'string', array: true, describe: 'ssh: HOST [-- CMD…]; reboot, poweroff: HOST…; probe: VIP[:PORT]' })
      .option('name', { type: 'string', default: 'default', describe: 'the lab name (labs with different names coexist)' })
      .option('state-dir', { type: 'string', describe: 'where labs keep their state (default .lvsdr/lab in the current directory)' })
      .option('realservers', { type: 'number', describe: 'up: how many real servers, rs1…rsN (default 2, or as the lab has; past 229 the lab spans more than one /24)' })
      .option('kind', { choices: ['systemd', 'light'], describe: 'up: real servers boot systemd (default) or are light hosts' })
      .option('flavor', { choices: ['debian', 'el'], describe: 'up: Debian units (default) or the RHEL 7 layout emulation' })
      .option('director', { type: 'boolean', describe: 'up: add a director host owning the VIPs' })
      .option('directors', { type: 'number', describe: 'up: 0, 1 (as --director) or 2: a director pair, director1 and director2, with real keepalived VRRP moving the VIP (needs --vrrp-priority)' })
      .option('vrrp-priority', { type: 'string', describe: 'up, a director pair: one VRRP priority per director, e.g. 150,100 (director1 the primary)' })
      .option('vrrp-state', { type: 'string', describe: 'up, a director pair: initial states, e.g. MASTER,BACKUP (default: MASTER for the higher priority; BACKUP,BACKUP with --vrrp-nopreempt)' })
      .option('vrrp-advert-int', { type: 'number', describe: 'up, a director pair: seconds between VRRP adverts (default 1)' })
      .option('vrrp-nopreempt', { type: 'boolean', describe: 'up, a director pair: a returning primary does not take the VIP back' })
      .option('director-nics', { type: 'number', describe: "up, routed: 2 puts the director's front NIC (eth0, the VIPs) on a segment of its own towards the router and its back NIC (eth1) with the real servers" })
      .option('client', { type: 'boolean', describe: 'up: add a client host with curl and arping' })
      .option('ipv6', { type: 'boolean', describe: 'up: IPv6 addresses from fd00::/8 too (fd00::198:18:S:H beside 198.18.S.H) for the bridge, every host and the VIPs; flat labs of systemd hosts' })
      .option('topology', {
        choices: ['flat', 'routed'],
        describe: 'up: flat (default): one segment; routed: the client on its own segment behind a router (implies --client)',
      })
      .option('hard', { type: 'boolean', default: false, describe: 'poweroff: cut the power (every process killed, no unit stops) instead of systemctl poweroff' })
      .option('all', { type: 'boolean', default: false, describe: 'down: remove every lab on this machine' })
      .option('requests', { type: 'number', default: 20, describe: 'probe: how many HTTP requests (or UDP datagrams)' })
      .option('udp', { type: 'boolean', default: false, describe: 'probe: UDP datagrams (the lab UDP service answers on port 80) instead of HTTP; a reply must come from VIP:PORT' })
      .option('json', { type: 'boolean', default: false, describe: 'print results as JSON' })
      .parserConfiguration({ 'populate--': true }),
  run: async (argv) => (await import('./lab-handler.ts')).labAction(argv),
};
