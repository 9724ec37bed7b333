/**
 * keepalived.conf from the module's arguments, keyword by keyword in the order of
 * keepalived-keywords.ts. What the arguments leave out is left out of the file, so keepalived's own
 * default applies (delay_loop 60, connect_timeout 5, no checker: always in service) — except
 * lvs_method, DR unless told otherwise, and weight and protocol, always written.
 * The output depends only on what the arguments say, not on the order the inventory listed
 * things in: virtual servers, real servers and VRRP addresses are sorted.
 */
import { addressOrder } from './address-order.ts';
import {
  CHECKER_KEYWORDS,
  CHECKER_TYPES,
  GLOBAL_DEFS_KEYWORDS,
  type Keyword,
  REAL_SERVER_KEYWORDS,
  VIRTUAL_SERVER_KEYWORDS,
  VRRP_INSTANCE_KEYWORDS,
  VRRP_SCRIPT_KEYWORDS,
  VRRP_SYNC_GROUP_KEYWORDS,
} from './keepalived-keywords.ts';
import type { HealthCheck, KeepalivedConfig, RealServer, VirtualServer, VrrpInstance } from './keepalived-schema.ts';

export const MANAGED_HEADER = '! managed by lvsdr: edits made here are replaced on its next run';

const indent = (depth: number) => '    '.repeat(depth);
const line = (depth: number, text: string) => `${indent(depth)}${text}`;

function block(depth: number, head: string, body: string[]): string[] {
  return [`${indent(depth)}${head} {`, ...body, `${indent(depth)}}`];
}

/** The value given under a keyword's name or one of its aliases (input only). */
export function keywordValue(obj: object, k: Keyword): unknown {
  const o = obj as Record<string, unknown>;
  for (const name of [k.name, ...(k.aliases ?? [])]) if (o[name] !== undefined && o[name] !== null) return o[name];
  return undefined;
}

/** A script with arguments is one quoted token to keepalived. */
const scriptToken = (s: string) => (/\s/.test(s) ? `"${s}"` : s);

/** The lines of a block's keywords that the object sets, in the table's order. */
function keywordLines(depth: number, table: Keyword[], obj: object): string[] {
  const out: string[] = [];
  for (const k of table) {
    const v = keywordValue(obj, k);
    if (v === undefined || v === false) continue;
    switch (k.kind) {
      case 'flag':
        out.push(line(depth, k.name));
        break;
      case 'script':
        out.push(line(depth, `${k.name} ${scriptToken(String(v))}`));
        break;
      case 'list':
        out.push(...block(depth, k.name, (v as string[]).map((e) => line(depth + 1, e))));
        break;
      case 'endpoint': {
        const e = v as { ip: string; port?: number };
        out.push(line(depth, `${k.name} ${e.ip}${e.port !== undefined ? ` ${e.port}` : ''}`));
        break;
      }
      case 'blocks':
        for (const item of v as object[]) out.push(...block(depth, k.name, keywordLines(depth + 1, k.block!, item)));
        break;
      default:
        out.push(line(depth, `${k.name} ${String(v)}`));
    }
  }
  return out;
}

function healthCheck(hc: HealthCheck): string[] {
  const type = CHECKER_TYPES.find((t) => hc[t] !== undefined)!;
  return block(2, type, keywordLines(3, CHECKER_KEYWORDS[type], hc[type]!));
}

/** The port a real server is written with: its own, or (DR and TUN keep it) the service's. */
function realServerHead(vs: VirtualServer, rs: RealServer): string {
  const port = rs.port ?? vs.port;
  return `real_server ${rs.ip}${port !== undefined ? ` ${port}` : ''}`;
}

function realServer(vs: VirtualServer, rs: RealServer): string[] {
  return block(1, realServerHead(vs, rs), [
    ...keywordLines(2, REAL_SERVER_KEYWORDS, { ...rs, weight: rs.weight ?? 1 }),
    ...(rs.health_checks ?? []).flatMap(healthCheck),
  ]);
}

export function virtualServerName(vs: VirtualServer): string {
  if (vs.fwmark !== undefined) return `fwmark ${vs.fwmark}`;
  if (vs.group !== undefined) return `group ${vs.group}`;
  return `${vs.vip} ${vs.port}`;
}

function virtualServer(vs: VirtualServer): string[] {
  const servers = [...vs.real_servers].sort((a, b) => addressOrder(a.ip, b.ip) || (a.port ?? 0) - (b.port ?? 0));
  // keepalived ignores (and warns about) a protocol on a fwmark service: the mark chooses the traffic.
  const protocol = vs.fwmark !== undefined ? undefined : (vs.protocol ?? 'TCP');
  const options = { ...vs, protocol, lvs_method: vs.lvs_method ?? vs.lb_kind ?? 'DR', lb_kind: undefined };
  return block(0, `virtual_server ${virtualServerName(vs)}`, [
    ...keywordLines(1, VIRTUAL_SERVER_KEYWORDS, options),
    ...servers.flatMap((rs) => ['', ...realServer(vs, rs)]),
  ]);
}

function vrrpInstance(v: VrrpInstance): string[] {
  const [before, after] = [VRRP_INSTANCE_KEYWORDS.slice(0, 5), VRRP_INSTANCE_KEYWORDS.slice(5)];
  const addresses = v.virtual_ipaddress ? [...v.virtual_ipaddress].sort(addressOrder) : undefined;
  return block(0, `vrrp_instance ${v.name}`, [
    ...keywordLines(1, before, v),
    ...(v.auth_pass !== undefined ? block(1, 'authentication', [line(2, 'auth_type PASS'), line(2, `auth_pass ${v.auth_pass}`)]) : []),
    ...keywordLines(1, after, { ...v, virtual_ipaddress: addresses }),
  ]);
}

const kindOrder = (vs: VirtualServer) => (vs.vip !== undefined ? 0 : vs.fwmark !== undefined ? 1 : 2);

function virtualServerOrder(a: VirtualServer, b: VirtualServer): number {
  return (
    kindOrder(a) - kindOrder(b) ||
    (a.vip !== undefined && b.vip !== undefined ? addressOrder(a.vip, b.vip) : 0) ||
    (a.port ?? 0) - (b.port ?? 0) ||
    (a.fwmark ?? 0) - (b.fwmark ?? 0) ||
    (a.group ?? '').localeCompare(b.group ?? '') ||
    (a.protocol ?? 'TCP').localeCompare(b.protocol ?? 'TCP')
  );
}

export function renderKeepalivedConfig(config: KeepalivedConfig): string {
  const sections: string[][] = [[MANAGED_HEADER]];
  const globals = config.global_defs ? keywordLines(1, GLOBAL_DEFS_KEYWORDS, config.global_defs) : [];
  if (globals.length > 0) sections.push(block(0, 'global_defs', globals));
  for (const s of config.vrrp_scripts ?? []) sections.push(block(0, `vrrp_script ${s.name}`, keywordLines(1, VRRP_SCRIPT_KEYWORDS, s)));
  for (const v of config.vrrp_instances ?? []) sections.push(vrrpInstance(v));
  for (const g of config.vrrp_sync_groups ?? []) sections.push(block(0, `vrrp_sync_group ${g.name}`, keywordLines(1, VRRP_SYNC_GROUP_KEYWORDS, g)));
  for (const g of config.virtual_server_groups ?? []) sections.push(block(0, `virtual_server_group ${g.name}`, g.members.map((m) => line(1, m))));
  for (const vs of [...config.virtual_servers].sort(virtualServerOrder)) sections.push(virtualServer(vs));
  return `${sections.map((s) => s.join('\n')).join('\n\n')}\n`;
}
