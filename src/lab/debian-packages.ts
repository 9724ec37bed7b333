/** Installs the Debian packages the lab needs (src/lab/debian-packages.txt) that are missing. */
import { readFile } from 'node:fs/promises';
import { runCommand } from './run-command.ts';

const LIST = new URL('./debian-packages.txt', import.meta.url);

export async function labPackages(): Promise<string[]> {
  const text = await readFile(LIST, 'utf8');
  return text
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean);
}

export async function missingPackages(packages: readonly string[]): Promise<string[]> {
  const r = await runCommand('dpkg-query', ['-W', '-f', '${Package} ${db:Status-Status}\n', ...packages]);
  const installed = new Set(
    r.stdout
      .split('\n')
      .filter((l) => l.endsWith(' installed'))
      .map((l) => l.split(' ')[0]),
  );
  return packages.filter((p) => !installed.has(p));
}

/** apt-get install, non-interactive; returns the packages it installed. */
export async function installMissingPackages(log: (line: string) => void): Promise<string[]> {
  const missing = await missingPackages(await labPackages());
  if (missing.length === 0) return [];
  log(`installing Debian packages the lab needs: ${missing.join(' ')}`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  const update = await runCommand('apt-get', ['update', '-qq'], { env, timeoutMs: 600_000 });
  const install = await runCommand('apt-get', ['install', '-y', '-qq', ...missing], { env, timeoutMs: 1_200_000 });
  if (update.code !== 0 || install.code !== 0) {
    throw new Error(`apt-get could not install ${missing.join(' ')}: ${(update.stderr + install.stderr).trim()}`);
  }
  return missing;
}
