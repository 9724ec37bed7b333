/** The files every lab host gets: identity, sshd with the lab's keys, the test web and UDP services. */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { HostPlan } from './lab-names.ts';
import type { HostTree } from './host-tree.ts';
import { enableUnit, mergeTrees } from './host-tree.ts';

export const LAB_ETC = 'etc/lvsdr-lab';
export const HOST_KEY = '/etc/ssh/lvsdr_lab_host_ed25519_key';
export const AUTHORIZED_KEYS = '/etc/ssh/lvsdr_lab_authorized_keys';

const webScript = readFileSync(new URL('./host-files/lab-web.py', import.meta.url), 'utf8');
const udpScript = readFileSync(new URL('./host-files/lab-udp.py', import.meta.url), 'utf8');

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
  const base: HostTree = { files, links: [], removals: [] };
  if (host.role !== 'realserver') return base;
  return mergeTrees(
    base,
    testService('lab-web.py', webScript, 'lvsdr lab test web service (answers with the host name on port 80)'),
    testService('lab-udp.py', udpScript, 'lvsdr lab test UDP service (answers with the host name on UDP port 80, from the address asked)'),
  );
}

/** A real server's test service: its script in /etc/lvsdr-lab, and a unit enabled at boot. */
function testService(file: string, script: string, description: string): HostTree {
  const unit = `lvsdr-${file.replace(/\.py$/, '')}.service`;
  const content = `[Unit]
Description=${description}
After=network.target

[Service]
ExecStart=/usr/bin/python3 -S /etc/lvsdr-lab/${file}
Restart=always

[Install]
WantedBy=multi-user.target
`;
  return {
    files: [
      { path: `${LAB_ETC}/${file}`, content: script, mode: 0o755 },
      { path: `etc/systemd/system/${unit}`, content },
    ],
    links: [enableUnit(unit, 'multi-user.target')],
    removals: [],
  };
}
