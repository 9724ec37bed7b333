/**
 * An existing keepalived.conf as the keepalived module's arguments, keyword by keyword through the
 * tables of keepalived-keywords.ts, each argument remembering the line:col it came from. Anything
 * the tables do not hold is a problem at its position, never dropped: the arguments render back to
 * the configuration keepalived read, or adoption fails. What keepalived fills in when a keyword is
 * left out and lvsdr's renderer would fill in differently (lvs_method: keepalived's NAT, lvsdr's
 * DR) is written out explicitly.
 */
import type { Problem, SourcePos } from '../core/errors.ts';
import { parseConfTree, type ConfNode, type ConfToken } from './keepalived-conf-tree.ts';
import {
  CHECKER_KEYWORDS,
  CHECKER_TYPES,
  type CheckerType,
  GLOBAL_DEFS_KEYWORDS,
  type Keyword,
  keywordNamed,
  REAL_SERVER_KEYWORDS,
  VIRTUAL_SERVER_KEYWORDS,
  VRRP_INSTANCE_KEYWORDS,
  VRRP_SCRIPT_KEYWORDS,
  VRRP_SYNC_GROUP_KEYWORDS,
} from './keepalived-keywords.ts';
import type { KeepalivedConfig } from './keepalived-schema.ts';

export interface AdoptedConf {
  config: KeepalivedConfig;
  /** JSON pointer of each argument → where the conf says it. */
  positions: Map<string, SourcePos>;
  problems: Problem[];
}

/** keepalived.conf(5): a bare `persistence_timeout` means 6 minutes. */
const BARE_VALUES: Record<string, number> = { persistence_timeout: 360 };

const MANAGE_IT_YOURSELF = "lvsdr's keepalived module does not write it: remove it if it is not needed, or keep managing this director's keepalived.conf by hand";

class Reader {
  readonly positions = new Map<string, SourcePos>();
  readonly problems: Problem[] = [];
  readonly file: string;
  constructor(file: string) {
    this.file = file;
  }

  pos(node: ConfNode, t: ConfToken = node.key): SourcePos {
    return { file: this.file, line: node.line, col: t.col };
  }

  problem(node: ConfNode, message: string, hint?: string, t?: ConfToken): void {
    this.problems.push({ pos: this.pos(node, t), message, ...(hint ? { hint } : {}) });
  }

  /** A block's statement that must have (or must not have) a block of its own. */
  wantsBlock(node: ConfNode, yes: boolean, where: string): boolean {
    if (yes === (node.children !== undefined)) return true;
    this.problem(node, yes ? `${where} ${node.key.text} needs a { ... } block` : `${where} ${node.key.text} takes no block`);
    return false;
  }

  /** A number where keepalived reads one; otherwise the text, so the schema names what is wrong. */
  number(t: ConfToken): number | string {
    return /^-?\d+(\.\d+)?$/.test(t.text) ? Number(t.text) : t.text;
  }

  value(node: ConfNode, k: Keyword, where: string): unknown {
    const args = node.args;
    const count = (min: number, max: number) => {
      if (args.length >= min && args.length <= max) return true;
      const extra = args[max];
      this.problem(node, args.length < min ? `${where} ${node.key.text} needs a value` : `${where} ${node.key.text}: '${extra.text}' is not adopted (lvsdr writes ${max === 0 ? 'the keyword alone' : `${max} value${max === 1 ? '' : 's'}`})`, MANAGE_IT_YOURSELF, extra);
      return false;
    };
    switch (k.kind) {
      case 'flag': {
        if (!count(0, 1) || !this.wantsBlock(node, false, where)) return undefined;
        if (args.length === 0) return true;
        const word = args[0].text.toLowerCase();
        if (['true', 'yes', 'on', '1'].includes(word)) return true;
        if (['false', 'no', 'off', '0'].includes(word)) return false;
        this.problem(node, `${where} ${node.key.text} takes true or false, not '${args[0].text}'`, undefined, args[0]);
        return undefined;
      }
      case 'int':
      case 'timer':
        if (args.length === 0 && BARE_VALUES[k.name] !== undefined && !node.children) return BARE_VALUES[k.name];
        if (!count(1, 1) || !this.wantsBlock(node, false, where)) return undefined;
        return this.number(args[0]);
      case 'word':
        if (!count(1, 1) || !this.wantsBlock(node, false, where)) return undefined;
        // persistence_granularity: a netmask for IPv4, a prefix length for IPv6.
        return k.name === 'persistence_granularity' && /^\d+$/.test(args[0].text) ? Number(args[0].text) : args[0].text;
      case 'address':
      case 'script':
        if (!count(1, 1) || !this.wantsBlock(node, false, where)) return undefined;
        return args[0].text;
      case 'words':
        if (!count(1, 16) || !this.wantsBlock(node, false, where)) return undefined;
        return args.map((a) => a.text).join(' ');
      case 'endpoint':
        if (!count(1, 2) || !this.wantsBlock(node, false, where)) return undefined;
        return { ip: args[0].text, ...(args[1] ? { port: this.number(args[1]) } : {}) };
      case 'list':
        if (!count(0, 0) || !this.wantsBlock(node, true, where)) return undefined;
        return node.children!.map((c) => [c.key, ...c.args].map((a) => a.text).join(' '));
      case 'blocks':
        return count(0, 0) && this.wantsBlock(node, true, where) ? node.children : undefined;
    }
  }

  /**
   * The statements of a block, through its keyword table, into `out`. `extra` takes the statements
   * the table does not (real_server in a virtual_server); anything left is a problem.
   */
  keywords<T extends object>(nodes: ConfNode[], table: Keyword[], where: string, at: string, out: T, extra?: (n: ConfNode) => boolean): T {
    const o = out as Record<string, unknown>;
    for (const node of nodes) {
      if (extra?.(node)) continue;
      const k = keywordNamed(table, node.key.text);
      if (!k) {
        this.problem(node, `${where}: '${node.key.text}' is not a keyword lvsdr adopts`, MANAGE_IT_YOURSELF);
        continue;
      }
      const v = this.value(node, k, where);
      if (v === undefined) continue;
      const pointer = `${at}/${k.name}`;
      if (k.kind === 'blocks') {
        const list = (o[k.name] as unknown[] | undefined) ?? [];
        this.positions.set(`${pointer}/${list.length}`, this.pos(node));
        o[k.name] = [...list, this.keywords(v as ConfNode[], k.block!, `${where} ${k.name}`, `${pointer}/${list.length}`, {})];
        continue;
      }
      if (o[k.name] !== undefined) {
        this.problem(node, `${where}: ${node.key.text} is given twice (keepalived keeps one of them)`, 'keep the one you mean');
        continue;
      }
      o[k.name] = v;
      this.positions.set(pointer, this.pos(node, node.args[0] ?? node.key));
      if (Array.isArray(v)) node.children?.forEach((c, i) => this.positions.set(`${pointer}/${i}`, this.pos(c)));
    }
    return out;
  }

  /** `NAME {` of vrrp_instance, vrrp_script, ...: one name and a block. */
  named(node: ConfNode, at: string): string | undefined {
    if (!this.wantsBlock(node, true, 'top level:')) return undefined;
    if (node.args.length !== 1) {
      this.problem(node, `${node.key.text} takes one name before its block`);
      return undefined;
    }
    this.positions.set(at, this.pos(node));
    this.positions.set(`${at}/name`, this.pos(node, node.args[0]));
    return node.args[0].text;
  }
}

function checker(r: Reader, node: ConfNode, type: CheckerType, at: string) {
  r.positions.set(at, r.pos(node));
  if (node.args.length > 0) r.problem(node, `${type} takes no value before its block`, undefined, node.args[0]);
  return { [type]: r.keywords(node.children ?? [], CHECKER_KEYWORDS[type], type, `${at}/${type}`, {}) };
}

function realServer(r: Reader, node: ConfNode, at: string) {
  r.positions.set(at, r.pos(node));
  const [ip, port, ...rest] = node.args;
  if (!ip) r.problem(node, 'real_server needs an address');
  if (rest.length > 0) r.problem(node, `real_server: '${rest[0].text}' is not adopted`, MANAGE_IT_YOURSELF, rest[0]);
  if (ip) r.positions.set(`${at}/ip`, r.pos(node, ip));
  if (port) r.positions.set(`${at}/port`, r.pos(node, port));
  const rs: Record<string, unknown> = { ip: ip?.text, ...(port ? { port: r.number(port) } : {}) };
  const checks: object[] = [];
  r.keywords(node.children ?? [], REAL_SERVER_KEYWORDS, `real_server ${ip?.text}`, at, rs, (c) => {
    if (!CHECKER_TYPES.includes(c.key.text as CheckerType)) return false;
    if (r.wantsBlock(c, true, `real_server ${ip?.text}:`)) checks.push(checker(r, c, c.key.text as CheckerType, `${at}/health_checks/${checks.length}`));
    return true;
  });
  if (checks.length > 0) rs.health_checks = checks;
  return rs;
}

function virtualServer(r: Reader, node: ConfNode, at: string) {
  r.positions.set(at, r.pos(node));
  const [first, second, ...rest] = node.args;
  const vs: Record<string, unknown> = {};
  if (first?.text === 'fwmark' || first?.text === 'group') {
    vs[first.text] = first.text === 'fwmark' ? r.number(second ?? first) : second?.text;
    r.positions.set(`${at}/${first.text}`, r.pos(node, second ?? first));
  } else if (first && second) {
    Object.assign(vs, { vip: first.text, port: r.number(second) });
    r.positions.set(`${at}/vip`, r.pos(node, first));
    r.positions.set(`${at}/port`, r.pos(node, second));
  } else {
    r.problem(node, 'virtual_server needs an address and a port, fwmark N or group NAME', 'lvsdr adopts services with a port; a port-less (all ports) service is not adopted');
  }
  if (rest.length > 0) r.problem(node, `virtual_server: '${rest[0].text}' is not adopted`, MANAGE_IT_YOURSELF, rest[0]);
  const servers: object[] = [];
  r.keywords(node.children ?? [], VIRTUAL_SERVER_KEYWORDS, `virtual_server ${node.args.map((a) => a.text).join(' ')}`, at, vs, (c) => {
    if (c.key.text !== 'real_server') return false;
    if (r.wantsBlock(c, true, 'virtual_server:')) servers.push(realServer(r, c, `${at}/real_servers/${servers.length}`));
    return true;
  });
  // What keepalived does when these are left out (and, for the first two, warns about), said explicitly:
  // lvsdr's renderer would write DR, and requires a scheduler.
  if (vs.lvs_method === undefined) vs.lvs_method = 'NAT';
  if (vs.lvs_sched === undefined) vs.lvs_sched = 'wlc';
  // keepalived reads the protocol in any case, and without one takes UDP for an ops service, TCP otherwise.
  if (vs.fwmark === undefined) vs.protocol = typeof vs.protocol === 'string' ? vs.protocol.toUpperCase() : vs.ops ? 'UDP' : 'TCP';
  vs.real_servers = servers;
  return vs;
}

function vrrpInstance(r: Reader, node: ConfNode, at: string) {
  const name = r.named(node, at);
  const v: Record<string, unknown> = { name };
  r.keywords(node.children ?? [], VRRP_INSTANCE_KEYWORDS, `vrrp_instance ${name}`, at, v, (c) => {
    if (c.key.text !== 'authentication') return false;
    if (!r.wantsBlock(c, true, `vrrp_instance ${name}:`)) return true;
    for (const a of c.children!) {
      if (a.key.text === 'auth_type' && a.args[0]?.text === 'PASS' && a.args.length === 1) continue;
      if (a.key.text === 'auth_pass' && a.args.length === 1) {
        v.auth_pass = a.args[0].text;
        r.positions.set(`${at}/auth_pass`, r.pos(a, a.args[0]));
        continue;
      }
      r.problem(a, `vrrp_instance ${name} authentication: '${[a.key, ...a.args].map((t) => t.text).join(' ')}' is not adopted`, 'lvsdr writes auth_type PASS with an auth_pass (AH authentication is deprecated by keepalived)');
    }
    return true;
  });
  return v;
}

/** The arguments an existing keepalived.conf stands for; `problems` lists all it could not adopt. */
export function keepalivedAdoptedConf(text: string, file: string): AdoptedConf {
  const r = new Reader(file);
  const nodes = parseConfTree(text, file, r.problems);
  const config: Record<string, unknown[] | object> = {};
  const push = (list: string, item: object) => {
    config[list] = [...((config[list] as object[] | undefined) ?? []), item];
  };
  const next = (list: string) => `/${list}/${((config[list] as object[] | undefined) ?? []).length}`;
  for (const node of nodes) {
    switch (node.key.text) {
      case 'global_defs':
        if (!r.wantsBlock(node, true, 'top level:')) break;
        if (config.global_defs) r.problem(node, 'global_defs is given twice', 'merge the two blocks into one');
        r.positions.set('/global_defs', r.pos(node));
        config.global_defs = r.keywords(node.children!, GLOBAL_DEFS_KEYWORDS, 'global_defs', '/global_defs', {});
        break;
      case 'vrrp_script': {
        const at = next('vrrp_scripts');
        push('vrrp_scripts', r.keywords(node.children ?? [], VRRP_SCRIPT_KEYWORDS, `vrrp_script ${node.args[0]?.text}`, at, { name: r.named(node, at) }));
        break;
      }
      case 'vrrp_sync_group': {
        const at = next('vrrp_sync_groups');
        push('vrrp_sync_groups', r.keywords(node.children ?? [], VRRP_SYNC_GROUP_KEYWORDS, `vrrp_sync_group ${node.args[0]?.text}`, at, { name: r.named(node, at) }));
        break;
      }
      case 'vrrp_instance':
        push('vrrp_instances', vrrpInstance(r, node, next('vrrp_instances')));
        break;
      case 'virtual_server_group': {
        const at = next('virtual_server_groups');
        const name = r.named(node, at);
        (node.children ?? []).forEach((c, i) => r.positions.set(`${at}/members/${i}`, r.pos(c)));
        push('virtual_server_groups', { name, members: (node.children ?? []).map((c) => [c.key, ...c.args].map((t) => t.text).join(' ')) });
        break;
      }
      case 'virtual_server':
        push('virtual_servers', virtualServer(r, node, next('virtual_servers')));
        break;
      default:
        r.problem(node, `'${node.key.text}' is not a block lvsdr adopts`, MANAGE_IT_YOURSELF);
    }
  }
  return { config: { virtual_servers: [], ...config } as KeepalivedConfig, positions: r.positions, problems: r.problems };
}
