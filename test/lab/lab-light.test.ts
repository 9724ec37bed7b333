/**
 * Light hosts and the `lvsdr lab` CLI: `up` prints an inventory lvsdr loads, hosts are separate,
 * two labs coexist on different /24s, and `down` (`down --all` under CI) leaves no namespace,
 * bridge, mount or process behind.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { loadInventory } from '../../src/core/inventory/index.ts';
import { labBridges } from '../../src/lab/lab-bridge.ts';
import type { LabInfo } from '../../src/lab/lab-info.ts';
import { sshTarget } from '../../src/lab/lab-info.ts';
import { mountsBySource } from '../../src/lab/lab-mounts.ts';
import { OBJECT_PREFIX, labObjectPrefix } from '../../src/lab/lab-names.ts';
import { killPids, markedProcessTrees, netnsPids } from '../../src/lab/lab-processes.ts';
import { sshExec } from '../../src/lab/lab-ssh.ts';
import { runCommand } from '../../src/lab/run-command.ts';
import { LAB_TEST_TIMEOUT, TEST_LAB_STATE, labUnavailable } from '../support/lab.ts';

const skip = labUnavailable();
// `down --all` removes every lab on the machine: only where nothing else runs labs at the same time.
const downAll = process.env.CI === 'true';

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli([...args, '--state-dir', TEST_LAB_STATE], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

async function leftovers(prefix: string): Promise<string[]> {
  const netns = (await runCommand('ip', ['netns', 'list'])).stdout.split('\n').filter((l) => l.startsWith(prefix));
  const bridges = (await labBridges()).filter((b) => b.lab === undefined || `${OBJECT_PREFIX}${b.lab}`.startsWith(prefix.replace(/_$/, '')));
  const mounts = await mountsBySource(prefix);
  const procs = await markedProcessTrees(prefix);
  return [...netns, ...bridges.map((b) => b.ifname), ...mounts, ...procs.map((p) => `pid ${p}`)];
}

describe.skipIf(skip)('lab light hosts and CLI', () => {
  const labs = ['light-test', 'light-test2'];
  let info: LabInfo;
  beforeAll(async () => {
    for (const name of labs) await cli('lab', 'down', '--name', name);
    const up = await cli('lab', 'up', '--name', labs[0], '--kind', 'light', '--realservers', '3');
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout.trim()).toMatch(/light-test\/inventory\.yml$/);
    const status = await cli('lab', 'status', '--name', labs[0], '--json');
    info = JSON.parse(status.stdout) as LabInfo;
  });
  afterAll(async () => {
    for (const name of labs) await cli('lab', 'down', '--name', name);
  }, LAB_TEST_TIMEOUT);

  it('writes an inventory lvsdr loads, with the lab key, known_hosts and VIP', async () => {
    const inventory = loadInventory([info.inventoryPath]);
    expect(inventory.select('realservers')).toEqual(['rs1', 'rs2', 'rs3']);
    const rs2 = inventory.hosts.get('rs2')!.vars;
    expect(rs2).toMatchObject({
      ansible_host: info.hosts[1].address,
      ansible_user: 'root',
      ansible_ssh_private_key_file: info.privateKey,
      lvsdr_known_hosts_file: info.knownHosts,
      lab_vip: info.vip,
    });
    expect(await readFile(info.knownHosts, 'utf8')).toContain(`${info.hosts[0].address} ssh-ed25519 `);
  }, LAB_TEST_TIMEOUT);

  it('gives each light host its own hostname, /etc and sysctls, and a test web service', async () => {
    const run = async (host: string, command: string) => (await sshExec(sshTarget(info, host), command, 20_000)).stdout.trim();
    expect(await run('rs1', 'hostname')).toBe('rs1');
    expect(await run('rs2', 'hostname')).toBe('rs2');
    await run('rs1', 'echo mine > /etc/lab-light-file && sysctl -qw net.ipv4.conf.eth0.arp_ignore=1');
    expect(await run('rs2', 'cat /etc/lab-light-file 2>/dev/null || echo absent')).toBe('absent');
    expect(await run('rs2', 'sysctl -n net.ipv4.conf.eth0.arp_ignore')).toBe('0');
    expect((await runCommand('curl', ['-s', '-m', '3', `http://${info.hosts[2].address}/`])).stdout).toBe('rs3\n');
  }, LAB_TEST_TIMEOUT);

  it('is idempotent: up again brings back a host whose processes died, with its /etc', async () => {
    await killPids(await netnsPids(`${labObjectPrefix(labs[0])}rs1`));
    // no flags: `up` again completes the lab as it is, it does not reshape it
    const up = await cli('lab', 'up', '--name', labs[0], '--json');
    expect(up.code, up.stderr).toBe(0);
    expect((JSON.parse(up.stdout) as LabInfo).hosts.map((h) => `${h.name}:${h.kind}`)).toEqual(['rs1:light', 'rs2:light', 'rs3:light']);
    const back = await sshExec(sshTarget(info, 'rs1'), 'cat /etc/lab-light-file', 20_000);
    expect(back.stdout).toBe('mine\n');
  }, LAB_TEST_TIMEOUT);

  it('runs a second lab beside the first, and down leaves nothing of either', async () => {
    const second = await cli('lab', 'up', '--name', labs[1], '--realservers', '1', '--json');
    expect(second.code, second.stderr).toBe(0);
    const other = JSON.parse(second.stdout) as LabInfo;
    expect(other.subnet).not.toBe(info.subnet);
    expect((await sshExec(sshTarget(other, 'rs1'), 'cat /proc/1/comm', 20_000)).stdout).toBe('systemd\n');
    if (downAll) {
      expect((await cli('lab', 'down', '--all')).code).toBe(0);
      expect(await leftovers(OBJECT_PREFIX)).toEqual([]);
      expect((await runCommand('ip', ['-o', 'link', 'show'])).stdout).not.toMatch(/ lvbr-\d+[:@]/);
    } else {
      for (const name of labs) expect((await cli('lab', 'down', '--name', name)).code).toBe(0);
      for (const name of labs) expect(await leftovers(labObjectPrefix(name))).toEqual([]);
      expect((await labBridges()).filter((b) => b.lab && labs.includes(b.lab))).toEqual([]);
    }
  }, LAB_TEST_TIMEOUT);
});
