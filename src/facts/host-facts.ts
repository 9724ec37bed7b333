/**
 * The host facts every play starts from, gathered with one command (one round trip). Each section
 * of the output starts with a marker line, so one missing tool cannot shift the others.
 */
import type { ExecResult } from '../connection/types.ts';
import { marker } from '../shell/marker.ts';
import { ShellText } from '../shell/quote.ts';
import type { HostFacts, ToolFact } from './types.ts';
import { ansibleFactsCommand, FACT_MARK, parseAnsibleExtras } from './ansible-facts.ts';
import { ALL_SUBSETS, type FactSubsets } from './gather-subset.ts';
import { parseIpAddr, parseLinkDetails } from './ip-addr.ts';
import { pkgMgrOf } from './package-manager.ts';

const MARK = FACT_MARK;
const TOOL_MARK = marker('tool');
/** Tools whose `-V` names the netfilter backend; the others are only looked up on PATH. */
const VERSIONED_TOOLS = ['arptables', 'iptables'];
const PLAIN_TOOLS = ['arptables-save', 'iptables-save', 'firewall-cmd', 'keepalived', 'dnf', 'yum', 'apt-get'];

/**
 * Every process started here is paid on every host of every run (issue 6), so the shell reads what
 * it can itself (hostname, os-release, which tools exist) and one `ip -batch` answers both address
 * and route. The shell's `read` goes byte by byte: fine for the hostname, a string sysctl that
 * honours offsets (numeric /proc/sys values answer only a read from offset 0, so they need sysctl).
 * The backend of arptables/iptables is the one its path resolves to (Debian's and RHEL's
 * alternatives link it to NAME-nft or NAME-legacy; `test -ef` follows the links without a process);
 * else `-V` names it: "(nf_tables)" or "(legacy)" (legacy arptables prints none). Whether firewalld
 * runs is no fact: the firewalld modules probe it when they need it, and asking costs a systemctl
 * or a scan of every process.
 */
const BASE_SECTIONS = [
    `echo ${MARK} hostname; { read -r h < /proc/sys/kernel/hostname && printf '%s\\n' "$h"; } 2>/dev/null || hostname 2>/dev/null`,
    `echo ${MARK} os-release; while read -r l || [ -n "$l" ]; do printf '%s\\n' "$l"; l=; done 2>/dev/null < /etc/os-release`,
    `echo ${MARK} systemd; [ -d /run/systemd/system ] && echo yes || echo no`,
    // Two lines of JSON: the addresses, then the default IPv4 route.
    `echo ${MARK} ip; ip -j -batch - 2>/dev/null <<'EOF'\naddr\nroute show default\nEOF`,
    `echo ${MARK} tools; for t in ${VERSIONED_TOOLS.join(' ')}; do if command -v "$t" >/dev/null; then echo "${TOOL_MARK} $t"; p=$(command -v "$t"); echo "$p"; ` +
      `if [ "$p" -ef "$p-nft" ]; then echo "($t nf_tables)"; elif [ "$p" -ef "$p-legacy" ]; then echo "($t legacy)"; else "$t" -V 2>&1 </dev/null; fi; fi; done; ` +
      `for t in ${PLAIN_TOOLS.join(' ')}; do if command -v "$t" >/dev/null; then echo "${TOOL_MARK} $t"; command -v "$t"; fi; done`,
];

/** lvsdr's own facts (always: its modules need them), then the Ansible facts of the play's subsets. */
export function hostFactsCommandFor(subsets: FactSubsets): ShellText {
  return new ShellText([...BASE_SECTIONS, ansibleFactsCommand(subsets).text, 'true'].filter(Boolean).join('\n'));
}

export const hostFactsCommand = hostFactsCommandFor(ALL_SUBSETS);

/** The two lines of JSON from `ip -j -batch`: addresses and the default route ('' when missing). */
function ipJson(sections: Map<string, string>): [addr: string, route: string] {
  const [addr = '', route = ''] = (sections.get('ip') ?? '').split('\n');
  return [addr, route];
}

/**
 * The addresses as `ip -j addr show` prints them, when the facts hold them (iproute2 with JSON):
 * the same read as the interfaces probe's, so a play's first tasks need not run ip again.
 */
export function addressesOfFacts(r: ExecResult): ExecResult | undefined {
  const [addr] = ipJson(splitSections(r.stdout));
  return addr.trim().startsWith('[') ? { code: 0, stdout: `${addr}\n`, stderr: '' } : undefined;
}

export function parseHostFacts(r: ExecResult, subsets: FactSubsets = ALL_SUBSETS): HostFacts {
  const sections = splitSections(r.stdout);
  const osRelease = parseOsRelease(sections.get('os-release') ?? '');
  const [addrJson, routeJson] = ipJson(sections);
  const interfaces = safeParse(() => parseIpAddr(addrJson), []);
  const routes = safeParse(() => JSON.parse(routeJson.trim() || '[]') as { dev?: string; gateway?: string }[], []);
  const defaultInterface = routes.find((x) => x.dev)?.dev;
  const defaultIpv4 = interfaces
    .find((i) => i.name === defaultInterface)
    ?.addresses.find((a) => a.family === 'inet')?.address;
  const osFamily = osFamilyOf(osRelease);
  const tools = parseTools(sections.get('tools') ?? '');
  const hostname = (sections.get('hostname') ?? '').trim();
  return {
    hostname,
    osFamily,
    pkgMgr: pkgMgrOf(osFamily, osRelease.ID ?? '', osRelease.VERSION_ID ?? '', tools),
    distribution: osRelease.ID ?? 'unknown',
    distributionVersion: osRelease.VERSION_ID ?? '',
    systemdRunning: (sections.get('systemd') ?? '').trim() === 'yes',
    interfaces,
    ...(defaultInterface ? { defaultInterface } : {}),
    ...(defaultIpv4 ? { defaultIpv4 } : {}),
    tools,
    ansible: {
      subsets,
      links: safeParse(() => parseLinkDetails(addrJson), []),
      osRelease,
      ...parseAnsibleExtras(sections, hostname),
      ...(routes.find((x) => x.dev)?.gateway ? { gateway4: routes.find((x) => x.dev)!.gateway } : {}),
    },
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
    dnf: 'dnf',
    yum: 'yum',
    'apt-get': 'aptGet',
  };
  // Each tool: a marker line with its name, its path, then (for the versioned ones) `-V` output.
  for (const block of text.split(`${TOOL_MARK} `).slice(1)) {
    const [name, path, versionLine = ''] = block.split('\n').map((l) => l.trim());
    const key = keyOf[name];
    if (!key || !path) continue;
    const fact: ToolFact = { path };
    const version = /v?(\d+(?:\.\d+)+)/.exec(versionLine)?.[1];
    if (version) fact.version = version;
    if (/nf_tables/.test(versionLine)) fact.variant = 'nft';
    else if (VERSIONED_TOOLS.includes(name)) fact.variant = 'legacy';
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
