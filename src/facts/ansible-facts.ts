/**
 * The facts playbooks read under Ansible's names (ansible_distribution, ansible_processor_cores,
 * ansible_eth0, ansible_date_time, ...), with Ansible's shapes and types as `ansible -m setup`
 * prints them on Debian 12 (ansible-core 2.14): counts are integers, a prefix is a string, every
 * date_time value is a string. Read in the same round trip as lvsdr's own facts (host-facts.ts);
 * `gather_subset` leaves out what a play does not ask for (gather-subset.ts), and what is left out
 * costs no process on the host.
 */
import { marker } from '../shell/marker.ts';
import { ShellText } from '../shell/quote.ts';
import type { FactSubsets } from './gather-subset.ts';

export const FACT_MARK = marker('fact');

/** An address lookup only, never a packet: the route a host would take to the IPv6 internet (as Ansible asks). */
const IPV6_ROUTE_PROBE = '2001:db8::1';

/**
 * Shell text of the sections each subset adds. fqdn comes from /etc/hosts alone (getent -s files):
 * a DNS lookup from a host without a resolver would stall every run; on a host whose name only DNS
 * knows, ansible_fqdn is the host name. lsb_release when installed, else /etc/lsb-release.
 */
export function ansibleFactsCommand(subsets: FactSubsets): ShellText {
  const parts: string[] = [];
  if (subsets.min) {
    parts.push(
      `echo ${FACT_MARK} pid1; { read -r c < /proc/1/comm && printf '%s\\n' "$c"; } 2>/dev/null || true`,
      // socket.getfqdn(): the name's address, then that address's names (so 127.0.0.1's first name wins).
      `echo ${FACT_MARK} fqdn; { read -r h < /proc/sys/kernel/hostname; getent -s files hosts "$h" | { read -r ip rest; [ -n "$ip" ] && getent -s files hosts "$ip" || echo "- $h"; }; } 2>/dev/null || true`,
      `echo ${FACT_MARK} debian_version; { read -r v < /etc/debian_version && printf '%s\\n' "$v"; } 2>/dev/null || true`,
      `echo ${FACT_MARK} lsb; lsb_release -a 2>/dev/null || cat /etc/lsb-release 2>/dev/null || true`,
      // Now (local), the UTC time for the iso8601 forms, and the zone's names in January and July.
      `echo ${FACT_MARK} date; date '+%Y|%m|%A|%w|%W|%d|%H|%M|%S|%s|%Z|%z|%N'; date -u '+%Y-%m-%dT%H:%M:%S|%Y%m%dT%H%M%S'; ` +
        `date -d "$(date +%Y)-01-01" '+%Z|%z'; date -d "$(date +%Y)-07-01" '+%Z|%z'`,
      `echo ${FACT_MARK} env; env`,
    );
  }
  if (subsets.hardware) {
    parts.push(
      `echo ${FACT_MARK} cpu; grep -E '^(processor|vendor_id|model name|physical id|cpu cores|siblings)[[:space:]]*:' /proc/cpuinfo 2>/dev/null || true`,
      `echo ${FACT_MARK} mem; while read -r k v u; do [ "$k" = MemTotal: ] && { echo "$v"; break; }; done < /proc/meminfo`,
    );
  }
  if (subsets.network) {
    parts.push(
      `echo ${FACT_MARK} route6; ip -j route get ${IPV6_ROUTE_PROBE} 2>/dev/null || true`,
      // A link's speed where the driver tells it (lo and others refuse the read): shell reads, no process.
      `echo ${FACT_MARK} speed; for d in /sys/class/net/*; do s=; { read -r s < "$d/speed"; } 2>/dev/null; [ -n "$s" ] && echo "\${d##*/} $s"; done; true`,
    );
  }
  return new ShellText(parts.join('\n'));
}

export interface AnsibleExtras {
  /** PID 1's command name (service_mgr). */
  pid1?: string;
  fqdn?: string;
  debianVersion?: string;
  lsb?: Record<string, string>;
  dateTime?: Record<string, string>;
  env?: Record<string, string>;
  processor?: { list: string[]; count: number; cores: number; threadsPerCore: number; vcpus: number; nproc: number };
  memTotalMb?: number;
  route6?: { dev?: string; gateway?: string };
  /** Link speeds in Mb/s, by interface, where /sys tells them. */
  speeds?: Record<string, number>;
  /** The IPv4 default route's gateway. */
  gateway4?: string;
}

/** Parses the sections ansibleFactsCommand added (absent sections leave their fields out). */
export function parseAnsibleExtras(sections: Map<string, string>, hostname: string): AnsibleExtras {
  const out: AnsibleExtras = {};
  const pid1 = sections.get('pid1')?.trim();
  if (pid1) out.pid1 = pid1;
  const fqdn = sections.get('fqdn');
  if (fqdn !== undefined) out.fqdn = fqdnOf(fqdn, hostname);
  const deb = sections.get('debian_version')?.trim();
  if (deb) out.debianVersion = deb;
  const lsb = sections.get('lsb');
  if (lsb !== undefined) out.lsb = parseLsb(lsb);
  const date = sections.get('date');
  if (date !== undefined) out.dateTime = parseDateTime(date);
  const env = sections.get('env');
  if (env !== undefined) out.env = parseEnv(env);
  const cpu = sections.get('cpu');
  if (cpu !== undefined) out.processor = parseCpuinfo(cpu);
  const mem = sections.get('mem');
  if (mem !== undefined && /^\d+$/.test(mem.trim())) out.memTotalMb = Math.floor(Number(mem.trim()) / 1024);
  const speed = sections.get('speed');
  if (speed !== undefined) {
    out.speeds = Object.fromEntries(
      speed
        .split('\n')
        .map((l) => l.trim().split(' '))
        .filter(([name, v]) => name && /^-?\d+$/.test(v ?? ''))
        .map(([name, v]) => [name, Number(v)]),
    );
  }
  const route6 = sections.get('route6');
  if (route6 !== undefined) {
    try {
      const [r] = JSON.parse(route6.trim() || '[]') as { dev?: string; gateway?: string }[];
      if (r) out.route6 = { ...(r.dev ? { dev: r.dev } : {}), ...(r.gateway ? { gateway: r.gateway } : {}) };
    } catch {
      // No IPv6 route: no default_ipv6, as in Ansible.
    }
  }
  return out;
}

/** socket.getfqdn(): the first of the canonical name and aliases that holds a dot, else the name. */
export function fqdnOf(getentLine: string, hostname: string): string {
  const names = getentLine.trim().split(/\s+/).slice(1);
  return names.find((n) => n.includes('.')) ?? names[0] ?? hostname;
}

/** `lsb_release -a` (`Distributor ID: Debian`) or /etc/lsb-release (`DISTRIB_ID=Ubuntu`), as Ansible's lsb facts. */
export function parseLsb(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const keys: Record<string, string> = {
    'Distributor ID': 'id',
    DISTRIB_ID: 'id',
    Description: 'description',
    DISTRIB_DESCRIPTION: 'description',
    Release: 'release',
    DISTRIB_RELEASE: 'release',
    Codename: 'codename',
    DISTRIB_CODENAME: 'codename',
  };
  for (const line of text.split('\n')) {
    const m = /^([^:=]+?)\s*[:=]\s*(.*)$/.exec(line);
    const key = m && keys[m[1].trim()];
    if (key) out[key] = m[2].trim().replace(/^"(.*)"$/, '$1');
  }
  if (out.release) out.major_release = out.release.split('.')[0];
  return out;
}

/** Ansible's date_time: every value a string; iso8601 forms in UTC; tz_dst the zone's summer name. */
export function parseDateTime(text: string): Record<string, string> {
  const [local = '', utc = '', jan = '', jul = ''] = text.split('\n');
  const [year, month, weekday, weekdayNumber, weeknumber, day, hour, minute, second, epoch, tz, tzOffset, nanos = '000000000'] = local.split('|');
  const [iso, isoBasic] = utc.split('|');
  const micro = nanos.slice(0, 6);
  const [janName, janOffset] = jan.split('|');
  const [julName, julOffset] = jul.split('|');
  // Summer time is the larger offset from UTC; a zone without it has one name.
  const tzDst = Number(julOffset) >= Number(janOffset) ? julName : janName;
  if (isoBasic === undefined) return {};
  return {
    date: `${year}-${month}-${day}`,
    day,
    epoch,
    epoch_int: epoch,
    hour,
    iso8601: `${iso}Z`,
    iso8601_basic: `${year}${month}${day}T${hour}${minute}${second}${micro}`,
    iso8601_basic_short: `${year}${month}${day}T${hour}${minute}${second}`,
    iso8601_micro: `${iso}.${micro}Z`,
    minute,
    month,
    second,
    time: `${hour}:${minute}:${second}`,
    tz,
    tz_dst: tzDst || tz,
    tz_offset: tzOffset,
    weekday,
    weekday_number: weekdayNumber,
    weeknumber,
    year,
  };
}

/** `env` output: NAME=value lines; a line without `=` continues the previous value. */
export function parseEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let last: string | undefined;
  for (const line of text.replace(/\n$/, '').split('\n')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m) out[(last = m[1])] = m[2];
    else if (last !== undefined) out[last] += `\n${line}`;
  }
  return out;
}

/**
 * /proc/cpuinfo as Ansible's linux hardware facts read it (x86): `processor` lists index, vendor,
 * model per logical CPU; count is the number of distinct physical ids (sockets), cores the first
 * socket's `cpu cores`, threads per core its `siblings` / `cpu cores`, vcpus their product.
 */
export function parseCpuinfo(text: string): NonNullable<AnsibleExtras['processor']> {
  const list: string[] = [];
  const sockets = new Set<string>();
  let cores = 0;
  let siblings = 0;
  let logical = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-z_ ]+?)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const [, key, value] = m;
    if (key === 'processor') {
      logical++;
      list.push(value);
    } else if (key === 'vendor_id' || key === 'model name') list.push(value);
    else if (key === 'physical id') sockets.add(value);
    else if (key === 'cpu cores' && cores === 0) cores = Number(value);
    else if (key === 'siblings' && siblings === 0) siblings = Number(value);
  }
  const count = sockets.size || logical;
  const perSocketCores = cores || 1;
  const threadsPerCore = siblings && cores ? Math.floor(siblings / cores) : 1;
  return { list, count, cores: perSocketCores, threadsPerCore, vcpus: threadsPerCore * perSocketCores * count, nproc: logical };
}
