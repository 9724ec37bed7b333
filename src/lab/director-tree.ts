/**
 * The director's files: keepalived.service runs the lab's stand-in for IPVS (see
 * director/lvs-standin.py) instead of keepalived, so `systemctl reload keepalived` works as on a
 * real director; `lvsdr-lab-ipvsadm [--json]` shows the virtual servers, health and flows, and
 * an `ipvsadm` ahead of the real one on PATH answers `ipvsadm -Ln` in the real format. A director of
 * a pair also runs the real keepalived for VRRP alone (LVSDR_LAB_VRRP=1) and boots with a
 * keepalived.conf holding its VRRP instance.
 */
import { readFileSync } from 'node:fs';
import type { HostTree } from './host-tree.ts';
import { enableUnit } from './host-tree.ts';
import { LAB_ETC } from './host-base-tree.ts';
import type { HostPlan } from './lab-names.ts';
import { pairKeepalivedConf } from './lab-pair.ts';

const standIn = readFileSync(new URL('./director/lvs-standin.py', import.meta.url), 'utf8');

/** Keeps keepalived's unit (name, Type=notify, ExecReload=kill -HUP) and swaps what it runs. */
const dropIn = `# lvsdr lab: this kernel has no IPVS; run the lab's stand-in (reads the same keepalived.conf).
[Unit]
ConditionFileNotEmpty=

[Service]
ExecStart=
ExecStart=/usr/bin/python3 -S /etc/lvsdr-lab/lvs-standin.py run
`;

const ipvsadmLike = `#!/bin/sh
# lvsdr lab: virtual servers, real server health and flows of the stand-in for IPVS, like ipvsadm -Ln.
exec /usr/bin/python3 -S /etc/lvsdr-lab/lvs-standin.py status "$@"
`;

/** Only `-Ln` is answered (what lvsdr rollout reads); the real ipvsadm cannot work without IPVS. */
const ipvsadmShim = `#!/bin/sh
# lvsdr lab: ipvsadm -Ln from the stand-in for IPVS, in ipvsadm's own format (healthy real servers only).
case "$*" in
  -Ln|-L\\ -n|-nL) exec /usr/bin/python3 -S /etc/lvsdr-lab/lvs-standin.py ipvsadm ;;
  *) echo "lvsdr lab: this kernel has no IPVS; only 'ipvsadm -Ln' is answered (by the stand-in)" >&2; exit 2 ;;
esac
`;

const vrrpDropIn = `# lvsdr lab: a director of a pair; the stand-in runs keepalived -P (VRRP alone) beside itself.
[Service]
Environment=LVSDR_LAB_VRRP=1
`;

export function directorTree(host: HostPlan, vip: string): HostTree {
  const pair: HostTree['files'] = host.vrrp
    ? [
        { path: 'etc/systemd/system/keepalived.service.d/lvsdr-lab-vrrp.conf', content: vrrpDropIn },
        { path: 'etc/keepalived/keepalived.conf', content: pairKeepalivedConf(host.name, host.vrrp, 'eth0', vip) },
      ]
    : [];
  return {
    files: [
      ...pair,
      { path: `${LAB_ETC}/lvs-standin.py`, content: standIn, mode: 0o755 },
      { path: 'etc/systemd/system/keepalived.service.d/lvsdr-lab-standin.conf', content: dropIn },
      { path: 'usr/local/sbin/lvsdr-lab-ipvsadm', content: ipvsadmLike, mode: 0o755 },
      { path: 'usr/local/sbin/ipvsadm', content: ipvsadmShim, mode: 0o755 },
    ],
    links: [enableUnit('keepalived.service', 'multi-user.target', '/lib/systemd/system/keepalived.service')],
    removals: [],
  };
}
