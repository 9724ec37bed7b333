/**
 * Flavor el, the lab's emulation of the RHEL 7 layout: os-release says rhel, and the arptables and
 * iptables services restore /etc/sysconfig/arptables and /etc/sysconfig/iptables at boot.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../support/lab.ts';
import { LAB_TEST_TIMEOUT, labUnavailable, sh, startLab } from '../support/lab.ts';

const skip = labUnavailable();

describe.skipIf(skip)('lab flavor el', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ name: 'el-test', realservers: 1, flavor: 'el' });
  });
  afterAll(async () => {
    await lab?.down();
  });

  const out = async (command: string) => {
    const r = await lab.exec('rs1', command);
    expect(r.code, `${command}\n${r.stderr}`).toBe(0);
    return r.stdout.trim();
  };

  it('looks like RHEL 7 where lvsdr looks', async () => {
    expect(await out('. /etc/os-release && echo "$ID $VERSION_ID $ID_LIKE"')).toBe('rhel 7.9 fedora');
    expect(await out('cat /etc/redhat-release')).toContain('Red Hat Enterprise Linux Server release 7');
    expect(await out('test -d /etc/sysconfig && echo yes')).toBe('yes');
    expect(await out('systemctl is-enabled netfilter-persistent.service || true')).toBe('masked');
    expect(await out('systemctl is-enabled arptables.service iptables.service || true')).toBe('disabled\ndisabled');
  }, LAB_TEST_TIMEOUT);

  it('restores /etc/sysconfig/arptables and /etc/sysconfig/iptables at boot once the services are enabled', async () => {
    await out(sh`arptables -A INPUT -d ${lab.vip} -j DROP && arptables-save > /etc/sysconfig/arptables`.text);
    await out(sh`iptables -t nat -A PREROUTING -d ${lab.vip} -p tcp --dport 80 -j REDIRECT`.text);
    await out('/usr/libexec/iptables/iptables.init save');
    await out('systemctl enable arptables.service iptables.service');
    const r = await lab.reboot('rs1');
    expect(r.newBootId).not.toBe(r.oldBootId);
    expect(await out('systemctl is-active arptables.service iptables.service')).toBe('active\nactive');
    expect(await out('arptables-save')).toContain(`-d ${lab.vip}`);
    expect(await out('iptables-save -t nat')).toContain(`-d ${lab.vip}/32 -p tcp -m tcp --dport 80 -j REDIRECT`);
  }, LAB_TEST_TIMEOUT);
});
