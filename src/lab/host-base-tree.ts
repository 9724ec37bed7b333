/** The files every lab host gets: identity, sshd with the lab's keys, the test web service. */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { HostPlan } from './lab-names.ts';
import type { HostTree } from './host-tree.ts';
import { enableUnit } from './host-tree.ts';

export const LAB_ETC = 'etc/lvsdr-lab';
export const HOST_KEY = '/etc/ssh/lvsdr_lab_host_ed25519_key';
export const AUTHORIZED_KEYS = '/etc/ssh/lvsdr_lab_authorized_keys';

const webScript = readFileSync(new URL('./host-files/lab-web.py', import.meta.url), 'utf8');

/** A plain shell profile: the machine's own root .bashrc may run slow tools on every SSH command. */
export const PLAIN_BASHRC = '# lvsdr lab host: a plain root shell\nexport PS1="\\u@\\h:\\w\\$ "\n';

export interface HostKeyPair {
  privateKey: string;
  publicKey: string;
}

export function baseTree(host: HostPlan, hostKey: HostKeyPair, authorizedKey: string): HostTree {
  const sshd = [
    '# lvsdr lab: sshd on the lab address only, with the lab host key and authorized key.',
    `ListenAddress ${host.address}`,
    `HostKey ${HOST_KEY}`,
    `AuthorizedKeysFile ${AUTHORIZED_KEYS}`,
    'PermitRootLogin prohibit-password',
    'PasswordAuthentication no',
    'UseDNS no',
    'MaxStartups 200:30:400',
    'MaxSessions 50',
    '',
  ].join('\n');
  const files: HostTree['files'] = [
    { path: 'etc/hostname', content: `${host.name}\n` },
    { path: 'etc/machine-id', content: `${randomBytes(16).toString('hex')}\n`, mode: 0o444 },
    { path: 'etc/ssh/sshd_config.d/lvsdr-lab.conf', content: sshd },
    { path: HOST_KEY.slice(1), content: hostKey.privateKey, mode: 0o600 },
    { path: `${HOST_KEY.slice(1)}.pub`, content: hostKey.publicKey },
    { path: AUTHORIZED_KEYS.slice(1), content: `${authorizedKey}\n`, mode: 0o600 },
  ];
  const links: HostTree['links'] = [];
  if (host.role === 'realserver') {
    files.push({ path: `${LAB_ETC}/lab-web.py`, content: webScript, mode: 0o755 });
    files.push({ path: 'etc/systemd/system/lvsdr-lab-web.service', content: webUnit });
    links.push(enableUnit('lvsdr-lab-web.service', 'multi-user.target'));
  }
  return { files, links, removals: [] };
}

const webUnit = `[Unit]
Description=lvsdr lab test web service (answers with the host name on port 80)
After=network.target

[Service]
ExecStart=/usr/bin/python3 -S /etc/lvsdr-lab/lab-web.py
Restart=always

[Install]
WantedBy=multi-user.target
`;
