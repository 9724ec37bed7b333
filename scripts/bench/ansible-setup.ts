/**
 * The bench installs its own ansible-playbook: Debian's `ansible-core` plus the `ansible` package,
 * which carries the ansible.posix and community.general collections (Galaxy is not reachable, and
 * Debian is where an operator of these hosts would take it from). GNU time comes from `time`.
 */
import { existsSync } from 'node:fs';
import { runCommand } from '../../src/lab/run-command.ts';

const COLLECTIONS_DIR = '/usr/lib/python3/dist-packages/ansible_collections';

function missingPackages(): string[] {
  const missing: string[] = [];
  if (!existsSync('/usr/bin/time')) missing.push('time');
  if (!existsSync('/usr/bin/ansible-playbook')) missing.push('ansible-core');
  if (!existsSync(`${COLLECTIONS_DIR}/ansible/posix`) || !existsSync(`${COLLECTIONS_DIR}/community/general`)) missing.push('ansible');
  return missing;
}

export async function installBenchPackages(log: (line: string) => void): Promise<void> {
  const missing = missingPackages();
  if (missing.length === 0) return;
  log(`installing ${missing.join(' ')} with apt-get`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  const update = await runCommand('apt-get', ['update', '-q'], { env, timeoutMs: 600_000 });
  if (update.code !== 0) throw new Error(`apt-get update failed: ${update.stderr}`);
  const install = await runCommand('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], { env, timeoutMs: 1_800_000 });
  if (install.code !== 0) throw new Error(`apt-get install ${missing.join(' ')} failed: ${install.stderr}`);
}
