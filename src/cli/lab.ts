/**
 * `lvsdr lab up|down|status|ssh|reboot|probe`: real test hosts in network namespaces (src/lab/).
 */
import { spawn } from 'node:child_process';
import type { Argv } from 'yargs';
import type { CliCommand, CommandOutcome } from './command.ts';
import { ExitCode } from './exit-codes.ts';
import { UserError } from '../core/errors.ts';
import { sshTarget } from '../lab/lab-info.ts';
import { labDown, labDownAll } from '../lab/lab-down.ts';
import type { HostFlavor, HostKind } from '../lab/lab-names.ts';
import { labProbe } from '../lab/lab-probe.ts';
import { labReboot } from '../lab/lab-reboot.ts';
import { probeText, statusText } from '../lab/lab-report.ts';
import { sshArgs } from '../lab/lab-ssh.ts';
import { findLab, labStatus } from '../lab/lab-status.ts';
import { labUp } from '../lab/lab-up.ts';

const ACTIONS = ['up', 'down', 'status', 'ssh', 'reboot', 'probe'] as const;

function usage(message: string, hint: string): never {
  throw new UserError({ message, hint });
}

function parseVip(text: string | undefined, fallbackVip: string): { vip: string; port: number } {
  if (!text) return { vip: fallbackVip, port: 80 };
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})(?::(\d{1,5}))?$/.exec(text);
  if (!m) usage(`'${text}' is not VIP[:PORT]`, 'give an IPv4 address, optionally with a port, e.g. 198.18.1.240:80');
  return { vip: m[1], port: m[2] ? Number(m[2]) : 80 };
}

async function sshInteractive(argv: Record<string, unknown>, args: string[]): Promise<CommandOutcome> {
  const [host, ...command] = args;
  if (!host) usage('lab ssh needs a HOST', "name one from 'lvsdr lab status', e.g. lvsdr lab ssh rs1 -- hostname");
  const info = await findLab(argv.name as string, argv['state-dir'] as string | undefined);
  const target = sshTarget(info, host);
  const sshArgv = [...sshArgs(target), ...(command.length ? ['--', command.join(' ')] : [])];
  const code = await new Promise<number>((resolve) => {
    spawn('ssh', sshArgv, { stdio: 'inherit' }).on('close', (c) => resolve(c ?? ExitCode.hostFailed));
  });
  return { exitCode: code };
}

export const labCommand: CliCommand = {
  command: 'lab <action> [args..]',
  describe: 'real test hosts in network namespaces: up, down, status, ssh HOST [-- CMD], reboot HOST…, probe VIP[:PORT]',
  builder: (yargs: Argv) =>
    yargs
      .positional('action', { choices: ACTIONS, describe: 'what to do' })
      .positional('args', { type: 'string', array: true, describe: 'ssh: HOST [-- CMD…]; reboot: HOST…; probe: VIP[:PORT]' })
      .option('name', { type: 'string', default: 'default', describe: 'the lab name (labs with different names coexist)' })
      .option('state-dir', { type: 'string', describe: 'where labs keep their state (default .lvsdr/lab in the current directory)' })
      .option('realservers', { type: 'number', describe: 'up: how many real servers, rs1…rsN (default 2, or as the lab has)' })
      .option('kind', { choices: ['systemd', 'light'], describe: 'up: real servers boot systemd (default) or are light hosts' })
      .option('flavor', { choices: ['debian', 'el'], describe: 'up: Debian units (default) or the RHEL 7 layout emulation' })
      .option('director', { type: 'boolean', describe: 'up: add a director host owning the VIPs' })
      .option('client', { type: 'boolean', describe: 'up: add a client host with curl and arping' })
      .option('all', { type: 'boolean', default: false, describe: 'down: remove every lab on this machine' })
      .option('requests', { type: 'number', default: 20, describe: 'probe: how many HTTP requests' })
      .option('json', { type: 'boolean', default: false, describe: 'print results as JSON' })
      .parserConfiguration({ 'populate--': true }),
  async run(argv) {
    const action = argv.action as (typeof ACTIONS)[number];
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
          client: argv.client as boolean | undefined,
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
      case 'probe': {
        const info = await findLab(name, stateBase);
        const { vip, port } = parseVip(args[0], info.vip);
        const result = await labProbe(info, vip, port, argv.requests as number);
        return { exitCode: result.failures > 0 ? ExitCode.hostFailed : ExitCode.ok, output: json ? result : probeText(result) };
      }
    }
  },
};
