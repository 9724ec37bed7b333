/**
 * The host facts every play starts from, gathered with one command (one round trip). Each section
 * of the output starts with a marker line, so one missing tool cannot shift the others.
 */
import type { ExecResult } from '../connection/types.ts';
import { ShellText } from '../shell/quote.ts';
import type { HostFacts, ToolFact } from './types.ts';
import { parseIpAddr } from './ip-addr.ts';

const MARK = '@@lvsdr-fact';
/** Tools whose `-V` is cheap and names the backend; the others are only looked up on PATH. */
const VERSIONED_TOOLS = ['arptables', 'arptables-save', 'iptables', 'iptables-save'];
const PLAIN_TOOLS = ['firewall-cmd', 'keepalived'];

/**
 * firewall-cmd costs a Python start-up (about a second) for --state or -V alike; systemd's own
 * answer, or the process table on hosts without systemd, says the same for free. `-V` of
 * arptables/iptables names the backend: "(nf_tables)" or "(legacy)" (legacy arptables prints none).
 */
export const hostFactsCommand = new ShellText(
  [
    `echo ${MARK} hostname; hostname 2>/dev/null || cat /proc/sys/kernel/hostname`,
    `echo ${MARK} os-release; cat /etc/os-release 2>/dev/null`,
    `echo ${MARK} systemd; [ -d /run/systemd/system ] && echo yes || echo no`,
    `echo ${MARK} addr; ip -j addr 2>/dev/null`,
    `echo ${MARK} route; ip -j -4 route show default 2>/dev/null`,
    `echo ${MARK} tools; for t in ${VERSIONED_TOOLS.join(' ')}; do p=$(command -v "$t") && echo "$t $p $("$t" -V 2>&1 | head -n 1)"; done; ` +
      `for t in ${PLAIN_TOOLS.join(' ')}; do p=$(command -v "$t") && echo "$t $p"; done`,
    `echo ${MARK} firewalld; if [ -d /run/systemd/system ]; then systemctl is-active firewalld 2>/dev/null; else pgrep -x firewalld >/dev/null 2>&1 && echo active || echo inactive; fi`,
    'true',
  ].join('\n'),
);

export function parseHostFacts(r: ExecResult): HostFacts {
  const sections = splitSections(r.stdout);
  const osRelease = parseOsRelease(sections.get('os-release') ?? '');
  const interfaces = safeParse(() => parseIpAddr(sections.get('addr') ?? ''), []);
  const routes = safeParse(() => JSON.parse((sections.get('route') ?? '').trim() || '[]') as { dev?: string }[], []);
  const defaultInterface = routes.find((x) => x.dev)?.dev;
  const defaultIpv4 = interfaces
    .find((i) => i.name === defaultInterface)
    ?.addresses.find((a) => a.family === 'inet')?.address;
  return {
    hostname: (sections.get('hostname') ?? '').trim(),
    osFamily: osFamilyOf(osRelease),
    distribution: osRelease.ID ?? 'unknown',
    distributionVersion: osRelease.VERSION_ID ?? '',
    systemdRunning: (sections.get('systemd') ?? '').trim() === 'yes',
    interfaces,
    ...(defaultInterface ? { defaultInterface } : {}),
    ...(defaultIpv4 ? { defaultIpv4 } : {}),
    tools: parseTools(sections.get('tools') ?? ''),
    firewalldRunning: (sections.get('firewalld') ?? '').trim() === 'active',
  };
}

function splitSections(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  let current: string | undefined;
  let lines: string[] = [];
  for (const line of stdout.split('\n')) {
    if (line.startsWith(`${MARK} `)) {
      if (current) out.set(current, lines.join('\n'));
      current = line.slice(MARK.length + 1).trim();
      lines = [];
    } else if (current) {
      lines.push(line);
    }
  }
  if (current) out.set(current, lines.join('\n'));
  return out;
}

export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) out[m[1]] = m[2].replace(/^(["'])(.*)\1$/, '$2');
  }
  return out;
}

const RHEL_LIKE = ['rhel', 'centos', 'fedora', 'rocky', 'almalinux', 'ol', 'amzn'];
const DEBIAN_LIKE = ['debian', 'ubuntu'];

export function osFamilyOf(osRelease: Record<string, string>): string {
  const ids = [osRelease.ID ?? '', ...(osRelease.ID_LIKE ?? '').split(/\s+/)].filter(Boolean);
  if (ids.some((id) => RHEL_LIKE.includes(id))) return 'RedHat';
  if (ids.some((id) => DEBIAN_LIKE.includes(id))) return 'Debian';
  return osRelease.ID ?? 'unknown';
}

function parseTools(text: string): HostFacts['tools'] {
  const tools: HostFacts['tools'] = {};
  const keyOf: Record<string, keyof HostFacts['tools']> = {
    arptables: 'arptables',
    'arptables-save': 'arptablesSave',
    iptables: 'iptables',
    'iptables-save': 'iptablesSave',
    'firewall-cmd': 'firewallCmd',
    keepalived: 'keepalived',
  };
  for (const line of text.split('\n')) {
    const [name, path, ...rest] = line.trim().split(' ');
    const key = keyOf[name];
    if (!key || !path) continue;
    const versionLine = rest.join(' ');
    const fact: ToolFact = { path };
    const version = /v?(\d+(?:\.\d+)+)/.exec(versionLine)?.[1];
    if (version) fact.version = version;
    if (/nf_tables/.test(versionLine)) fact.variant = 'nft';
    else if (name.startsWith('arptables') || name.startsWith('iptables')) fact.variant = 'legacy';
    tools[key] = fact;
  }
  return tools;
}

function safeParse<T>(f: () => T, fallback: T): T {
  try {
    return f();
  } catch {
    return fallback;
  }
}
