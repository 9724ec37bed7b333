/** What `lvsdr lab ACTION` does (its flags: lab.ts). */
import { spawn } from 'node:child_process';
import { isIPv6 } from 'node:net';
import type { CommandOutcome } from './command.ts';
import { ExitCode } from './exit-codes.ts';
import type { LabAction } from './lab.ts';
import { UserError } from '../core/errors.ts';
import { sshTarget } from '../lab/lab-info.ts';
import { labDown, labDownAll } from '../lab/lab-down.ts';
import type { HostFlavor, HostKind } from '../lab/lab-names.ts';
import { labProbe } from '../lab/lab-probe.ts';
import { labPowerOff } from '../lab/lab-power.ts';
import { labReboot } from '../lab/lab-reboot.ts';
import { ROUTER } from '../lab/lab-router.ts';
import { probeText, statusText } from '../lab/lab-report.ts';
import { sshArgs } from '../lab/lab-ssh.ts';
import { findLab, labStatus } from '../lab/lab-status.ts';
import { labUp } from '../lab/lab-up.ts';

function usage(message: string, hint: string): never {
  throw new UserError({ message, hint });
}

/** VIP[:PORT]: an IPv4 address, or an IPv6 one (bare, or in brackets with a port: [fd00::198:18:1:240]:80). */
export function parseVip(text: string | undefined, fallbackVip: string): { vip: string; port: number } {
  if (!text) return { vip: fallbackVip, port: 80 };
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})(?::(\d{1,5}))?$/.exec(text) ?? /^\[([0-9a-fA-F:]+)\](?::(\d{1,5}))?$/.exec(text) ?? /^([0-9a-fA-F]*:[0-9a-fA-F:]+)()$/.exec(text);
  if (!m || (m[1].includes(':') && !isIPv6(m[1]))) {
    usage(`'${text}' is not VIP[:PORT]`, 'give an IPv4 address, optionally with a port, e.g. 198.18.1.240:80, or an IPv6 one: fd00::198:18:1:240 or [fd00::198:18:1:240]:80');
  }
  return { vip: m[1], port: m[2] ? Number(m[2]) : 80 };
}

/** A flag's comma-separated values, each checked against `item`. */
function commaList(text: unknown, flag: string, item: RegExp, example: string): string[] | undefined {
  if (text === undefined) return undefined;
  const values = String(text).split(',').map((v) => v.trim());
  if (values.some((v) => !item.test(v))) usage(`${flag} ${String(text)} is not a comma-separated list of the values it takes`, example);
  return values;
}

async function sshInteractive(argv: Record<string, unknown>, args: string[]): Promise<CommandOutcome> {
  const [host, ...command] = args;
  if (!host) usage('lab ssh needs a HOST', "name one from 'lvsdr lab status', e.g. lvsdr lab ssh rs1 -- hostname");
  const info = await findLab(argv.name as string, argv['state-dir'] as string | undefined);
  // the router is a bare namespace, no sshd: the command runs there directly
  const [cmd, cmdArgs] =
    host === ROUTER && info.router
      ? ['ip', ['netns', 'exec', info.router.namespace, ...(command.length ? ['sh', '-c', command.join(' ')] : ['bash'])]]
      : ['ssh', [...sshArgs(sshTarget(info, host)), ...(command.length ? ['--', command.join(' ')] : [])]];
  const code = await new Promise<number>((resolve) => {
    spawn(cmd, cmdArgs, { stdio: 'inherit' }).on('close', (c) => resolve(c ?? ExitCode.hostFailed));
  });
  return { exitCode: code };
}

export async function labAction(argv: Record<string, unknown>): Promise<CommandOutcome> {
  const action = argv.action as LabAction;
  const args = [...((argv.args as string[] | undefined) ?? []), ...((argv['--'] as string[] | undefined) ?? [])].map(String);
  const name = argv.name as string;
  const stateBase = argv['state-dir'] as string | undefined;
  const json = argv.json === true;
  switch (action) {
    case 'up': {
      const info = await labUp({
        name,
        stateBase,
        realservers: argv.realservers as number | undefined,
        kind: argv.kind as HostKind | undefined,
        flavor: argv.flavor as HostFlavor | undefined,
        director: argv.director as boolean | undefined,
        directors: argv.directors as number | undefined,
        directorNics: argv['director-nics'] as number | undefined,
        vrrpPriority: commaList(argv['vrrp-priority'], '--vrrp-priority', /^\d+$/, 'e.g. --vrrp-priority 150,100')?.map(Number),
        vrrpState: commaList(argv['vrrp-state'], '--vrrp-state', /^(MASTER|BACKUP)$/i, 'e.g. --vrrp-state MASTER,BACKUP'),
        vrrpAdvertInt: argv['vrrp-advert-int'] as number | undefined,
        vrrpNopreempt: argv['vrrp-nopreempt'] as boolean | undefined,
        client: argv.client as boolean | undefined,
        topology: argv.topology as string | undefined,
        ipv6: argv.ipv6 as boolean | undefined,
        log: (line) => process.stderr.write(`${line}\n`),
      });
      return { exitCode: ExitCode.ok, output: json ? info : info.inventoryPath };
    }
    case 'down': {
      const result = argv.all ? await labDownAll(stateBase) : await labDown({ name, stateBase });
      return { exitCode: ExitCode.ok, output: json ? result : `removed: ${result.removed.join(', ') || 'nothing'}` };
    }
    case 'status': {
      const info = await labStatus(name, stateBase);
      return { exitCode: ExitCode.ok, output: json ? info : statusText(info) };
    }
    case 'ssh':
      return sshInteractive(argv, args);
    case 'reboot': {
      if (args.length === 0) usage('lab reboot needs at least one HOST', 'e.g. lvsdr lab reboot rs1');
      const info = await findLab(name, stateBase);
      const results = await Promise.all(args.map((h) => labReboot(info, h)));
      const text = results.map((r) => `${r.host}: back after ${r.seconds.toFixed(1)} s, boot id ${r.newBootId}`).join('\n');
      return { exitCode: ExitCode.ok, output: json ? results : text };
    }
    case 'poweroff': {
      if (args.length === 0) usage('lab poweroff needs at least one HOST', "e.g. lvsdr lab poweroff director1 --hard; 'lvsdr lab up' powers it on again");
      const info = await findLab(name, stateBase);
      const results = await Promise.all(args.map((h) => labPowerOff(info, h, argv.hard === true)));
      const text = results.map((r) => `${r.host}: off after ${r.seconds.toFixed(1)} s${r.hard ? ' (power cut)' : ''}; 'lvsdr lab up --name ${name}' powers it on`).join('\n');
      return { exitCode: ExitCode.ok, output: json ? results : text };
    }
    case 'probe': {
      const info = await findLab(name, stateBase);
      const { vip, port } = parseVip(args[0], info.vip);
      const result = await labProbe(info, vip, port, argv.requests as number, argv.udp === true ? 'udp' : 'tcp');
      return { exitCode: result.failures > 0 ? ExitCode.hostFailed : ExitCode.ok, output: json ? result : probeText(result) };
    }
  }
}
