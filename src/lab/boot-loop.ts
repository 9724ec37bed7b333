/**
 * Supervises one systemd host: runs systemd-nspawn and boots it again when it exits with 133, the
 * status nspawn uses for `systemctl reboot` inside. Any other status ends the loop (poweroff, kill).
 * Started detached by `lab up` as `node boot-loop.ts MARKER -- systemd-nspawn ARGS…`; the marker
 * in its argv is how `lab down` finds it.
 */
import { spawn } from 'node:child_process';

const REBOOT_STATUS = 133;
const sep = process.argv.indexOf('--');
const [cmd, ...args] = process.argv.slice(sep + 1);

function boot(): void {
  const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
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
