/**
 * Supervises one systemd host: runs systemd-nspawn and boots it again when it exits with 133, the
 * status nspawn uses for `systemctl reboot` inside. Any other status ends the loop (poweroff, kill).
 * Started detached by `lab up` as `node boot-loop.ts MARKER [--attach IFACE=BRIDGE] -- systemd-nspawn ARGS…`;
 * the marker in its argv is how `lab down` finds it. `--attach`: nspawn makes an extra veth
 * (`--network-veth-extra`) at every boot but puts it on no bridge; the loop does, each boot.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const REBOOT_STATUS = 133;
const sep = process.argv.indexOf('--');
const [cmd, ...args] = process.argv.slice(sep + 1);
const attachAt = process.argv.indexOf('--attach');
const attach = attachAt > 0 && attachAt < sep ? process.argv[attachAt + 1].split('=') : undefined;

/** Puts the extra veth on its bridge once nspawn has made it (bounded: 30 s). */
function attachWhenMade(iface: string, bridge: string, deadline = Date.now() + 30_000): void {
  if (existsSync(`/sys/class/net/${iface}`)) {
    spawnSync('ip', ['link', 'set', 'dev', iface, 'master', bridge, 'up']);
  } else if (Date.now() < deadline) {
    setTimeout(() => attachWhenMade(iface, bridge, deadline), 50);
  }
}

function boot(): void {
  const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (attach) attachWhenMade(attach[0], attach[1]);
  child.on('exit', (code) => {
    const stamp = new Date().toISOString();
    if (code === REBOOT_STATUS) {
      process.stdout.write(`\n[lvsdr lab ${stamp}] reboot: booting again\n`);
      boot();
    } else {
      process.stdout.write(`\n[lvsdr lab ${stamp}] nspawn exited with ${code}: stopping\n`);
      process.exitCode = code ?? 1;
    }
  });
}

boot();
