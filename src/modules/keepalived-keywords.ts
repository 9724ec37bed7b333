/**
 * The keepalived.conf keywords lvsdr knows, block by block: each is an argument of the keepalived
 * module under the keyword's own name, with the kind of value it takes. One table drives the
 * module's schema, the renderer and the parser of an existing keepalived.conf, so the three cannot
 * disagree on a name, a meaning or an order. Ranges are keepalived 2.2's (keepalived.conf(5)).
 */

/**
 * How a keyword's value is written:
 * - int, timer (decimal seconds), word, address: `keyword VALUE`
 * - flag: the bare keyword (false: left out)
 * - script: `keyword PATH` or `keyword "PATH ARGS"` (quoted when it has spaces)
 * - words: the rest of the line, space-separated tokens (`script_user USER [GROUP]`)
 * - list: a block with one entry per line (`virtual_ipaddress { ... }`)
 * - endpoint: `keyword IP [PORT]`, as {ip, port}
 * - blocks: a block that may repeat (`url { ... }`), as a list of objects of the block's keywords
 */
export type ValueKind = 'int' | 'timer' | 'word' | 'address' | 'flag' | 'script' | 'words' | 'list' | 'endpoint' | 'blocks';

export interface Keyword {
  name: string;
  kind: ValueKind;
  schema: object;
  /** Older names keepalived still reads with the same meaning; the parser takes them, nothing writes them. */
  aliases?: string[];
  /** For `blocks`: the keywords of the repeated block. */
  block?: Keyword[];
}

const int = (minimum: number, maximum: number) => ({ type: 'integer', minimum, maximum }) as const;
const timer = (minimum: number, maximum: number) => ({ type: 'number', minimum, maximum }) as const;

/** Names keepalived reads as one token: no whitespace, comment, brace, quote or `$` characters. */
export const nameSchema = { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,64}$' } as const;
export const ipSchema = { anyOf: [{ type: 'string', format: 'ipv4' }, { type: 'string', format: 'ipv6' }] } as const;
export const portSchema = int(1, 65535);
/**
 * A `virtual_ipaddress` line: an address with an optional prefix length, and optionally the
 * interface it goes on (default: the instance's) and a label (`eth0:1`, for ifconfig's view).
 */
export const virtualAddressSchema = {
  type: 'string',
  pattern: '^(([0-9]{1,3}\\.){3}[0-9]{1,3}(/([0-9]|[12][0-9]|3[0-2]))?|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*(/([0-9]|[1-9][0-9]|1[01][0-9]|12[0-8]))?)( dev [a-zA-Z0-9_.@-]{1,15})?( label [a-zA-Z0-9_.@:-]{1,15})?$',
} as const;
/**
 * A command line keepalived runs: it becomes one quoted token, so quotes, comment characters,
 * braces and `$` (keepalived's own definitions) are refused rather than escaped — keepalived.conf
 * has no escape for them.
 */
export const scriptSchema = { type: 'string', pattern: '^/[^"\'\\\\#!{}$\\n\\t]{0,510}$' } as const;
const userSchema = { type: 'string', pattern: '^[a-z_][a-z0-9_-]{0,31}( [a-z_][a-z0-9_-]{0,31})?$' } as const;
const flag = { type: 'boolean' } as const;
const interfaceName = { type: 'string', pattern: '^[a-zA-Z0-9_.@:-]{1,15}$' } as const;

const kw = (name: string, kind: ValueKind, schema: object, aliases?: string[]): Keyword => ({ name, kind, schema, ...(aliases ? { aliases } : {}) });

export const LVS_SCHEDULERS = ['rr', 'wrr', 'lc', 'wlc', 'lblc', 'lblcr', 'dh', 'sh', 'mh', 'sed', 'nq', 'fo', 'ovf', 'twos'] as const;
export const LVS_METHODS = ['DR', 'NAT', 'TUN'] as const;
export const CHECKER_TYPES = ['TCP_CHECK', 'HTTP_GET', 'SSL_GET', 'MISC_CHECK', 'DNS_CHECK', 'UDP_CHECK'] as const;
export type CheckerType = (typeof CHECKER_TYPES)[number];

export const GLOBAL_DEFS_KEYWORDS: Keyword[] = [
  kw('notification_email', 'list', { type: 'array', items: { type: 'string', pattern: '^[A-Za-z0-9._%+-]{1,64}(@[A-Za-z0-9.-]{1,255})?$' }, minItems: 1, uniqueItems: true }),
  kw('notification_email_from', 'word', { type: 'string', pattern: '^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,255}$' }),
  kw('smtp_server', 'words', { type: 'string', pattern: '^[0-9A-Za-z.:-]{1,255}( [0-9]{1,5})?$' }),
  kw('smtp_connect_timeout', 'int', int(1, 3600)),
  kw('router_id', 'word', nameSchema),
  // lvs_sync_daemon INTERFACE [[inst] VRRP_INSTANCE] [id N] [maxlen N] [port N] [ttl N] [group IP]
  kw('lvs_sync_daemon', 'words', {
    type: 'string',
    pattern: '^[a-zA-Z0-9_.@:-]{1,15}( (inst )?[A-Za-z0-9_.:-]{1,64})?( id [0-9]{1,3})?( maxlen [0-9]{1,5})?( port [0-9]{1,5})?( ttl [0-9]{1,3})?( group [0-9A-Fa-f:.]{2,45})?$',
  }),
  kw('enable_script_security', 'flag', flag),
  kw('script_user', 'words', userSchema),
  kw('vrrp_garp_master_delay', 'int', int(0, 86400)),
  kw('vrrp_garp_master_repeat', 'int', int(1, 255)),
  kw('vrrp_garp_lower_prio_delay', 'int', int(0, 86400)),
  kw('vrrp_garp_lower_prio_repeat', 'int', int(1, 255)),
  kw('vrrp_garp_master_refresh', 'int', int(0, 86400)),
  kw('vrrp_garp_master_refresh_repeat', 'int', int(1, 255)),
  kw('vrrp_garp_interval', 'timer', timer(0.000001, 1)),
  kw('vrrp_gna_interval', 'timer', timer(0.000001, 1)),
];

export const VRRP_SCRIPT_KEYWORDS: Keyword[] = [
  kw('script', 'script', scriptSchema),
  kw('interval', 'int', int(1, 86400)),
  kw('timeout', 'int', int(1, 86400)),
  kw('weight', 'int', int(-253, 253)),
  kw('rise', 'int', int(1, 1000)),
  kw('fall', 'int', int(1, 1000)),
  kw('user', 'words', userSchema),
  kw('init_fail', 'flag', flag),
];

const NOTIFY_KEYWORDS = ['notify_master', 'notify_backup', 'notify_fault', 'notify_stop', 'notify'].map((n) => kw(n, 'script', scriptSchema));

/** `name` and the `authentication` block (auth_pass) are written by hand, around these. */
export const VRRP_INSTANCE_KEYWORDS: Keyword[] = [
  kw('state', 'word', { enum: ['MASTER', 'BACKUP'] }),
  kw('interface', 'word', interfaceName),
  kw('virtual_router_id', 'int', int(1, 255)),
  kw('priority', 'int', int(1, 254)),
  kw('advert_int', 'timer', timer(0.01, 255)),
  kw('nopreempt', 'flag', flag),
  kw('preempt_delay', 'int', int(0, 1000)),
  kw('garp_master_delay', 'int', int(0, 86400)),
  kw('unicast_src_ip', 'address', ipSchema),
  kw('unicast_peer', 'list', { type: 'array', items: ipSchema, minItems: 1, uniqueItems: true }),
  kw('track_interface', 'list', { type: 'array', items: { type: 'string', pattern: '^[a-zA-Z0-9_.@:-]{1,15}( weight -?[0-9]{1,3}( reverse)?)?$' }, minItems: 1, uniqueItems: true }),
  kw('track_script', 'list', { type: 'array', items: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,64}( weight -?[0-9]{1,3}( reverse| noreverse)?)?$' }, minItems: 1, uniqueItems: true }),
  ...NOTIFY_KEYWORDS,
  kw('virtual_ipaddress', 'list', { type: 'array', items: virtualAddressSchema, minItems: 1, uniqueItems: true }),
];

export const VRRP_SYNC_GROUP_KEYWORDS: Keyword[] = [
  kw('group', 'list', { type: 'array', items: nameSchema, minItems: 1, uniqueItems: true }),
  kw('track_script', 'list', { type: 'array', items: nameSchema, minItems: 1, uniqueItems: true }),
  ...NOTIFY_KEYWORDS.filter((k) => k.name !== 'notify_stop'),
];

/** Options every checker has, and virtual and real servers set as defaults for their checkers. */
const CHECK_TIMING_KEYWORDS: Keyword[] = [
  kw('connect_timeout', 'timer', timer(0.001, 3600)),
  kw('retry', 'int', int(0, 100), ['nb_get_retry']),
  kw('delay_before_retry', 'timer', timer(0, 3600)),
  kw('warmup', 'timer', timer(0, 3600)),
  kw('delay_loop', 'timer', timer(0.001, 3600)),
];

/** `vip port`, `fwmark` or `group`, and `real_servers`, are written by hand, around these. */
export const VIRTUAL_SERVER_KEYWORDS: Keyword[] = [
  kw('protocol', 'word', { enum: ['TCP', 'UDP'] }),
  kw('lvs_sched', 'word', { enum: LVS_SCHEDULERS }, ['lb_algo']),
  kw('lvs_method', 'word', { enum: LVS_METHODS }, ['lb_kind']),
  ...['sh-port', 'sh-fallback', 'mh-port', 'mh-fallback', 'ops'].map((n) => kw(n, 'flag', flag)),
  kw('persistence_timeout', 'int', int(1, 2678400)),
  // A netmask for IPv4 services (255.255.255.0), a prefix length for IPv6 ones (64).
  kw('persistence_granularity', 'word', { anyOf: [{ type: 'string', format: 'ipv4' }, int(1, 128)] }),
  kw('virtualhost', 'word', { type: 'string', pattern: '^[A-Za-z0-9.:_-]{1,255}$' }),
  kw('alpha', 'flag', flag),
  kw('omega', 'flag', flag),
  kw('quorum', 'int', int(1, 2147483647)),
  kw('hysteresis', 'int', int(0, 2147483647)),
  kw('quorum_up', 'script', scriptSchema),
  kw('quorum_down', 'script', scriptSchema),
  kw('sorry_server', 'endpoint', {
    type: 'object',
    properties: { ip: ipSchema, port: portSchema },
    required: ['ip'],
    additionalProperties: false,
  }),
  kw('sorry_server_inhibit', 'flag', flag),
  kw('inhibit_on_failure', 'flag', flag),
  kw('ha_suspend', 'flag', flag),
  ...CHECK_TIMING_KEYWORDS,
];

/** `ip port` and the checkers are written by hand, after these. */
export const REAL_SERVER_KEYWORDS: Keyword[] = [
  kw('weight', 'int', int(0, 65535)),
  kw('inhibit_on_failure', 'flag', flag),
  kw('notify_up', 'script', scriptSchema),
  kw('notify_down', 'script', scriptSchema),
  kw('uthreshold', 'int', int(0, 2147483647)),
  kw('lthreshold', 'int', int(0, 2147483647)),
  kw('virtualhost', 'word', { type: 'string', pattern: '^[A-Za-z0-9.:_-]{1,255}$' }),
  kw('alpha', 'flag', flag),
  ...CHECK_TIMING_KEYWORDS,
];

export const URL_KEYWORDS: Keyword[] = [
  kw('path', 'word', { type: 'string', pattern: '^/[A-Za-z0-9_.~%/?=&+,:@;-]{0,254}$' }),
  kw('digest', 'word', { type: 'string', pattern: '^[0-9a-f]{32}$' }),
  kw('status_code', 'int', int(100, 599)),
  kw('virtualhost', 'word', { type: 'string', pattern: '^[A-Za-z0-9.:_-]{1,255}$' }),
];

const CONNECTION_KEYWORDS: Keyword[] = [
  kw('connect_ip', 'address', ipSchema),
  kw('connect_port', 'int', portSchema),
  kw('bindto', 'address', ipSchema),
  kw('bind_port', 'int', portSchema),
];

const url: Keyword = { name: 'url', kind: 'blocks', schema: { type: 'array', items: { type: 'object', properties: Object.fromEntries(URL_KEYWORDS.map((k) => [k.name, k.schema])), additionalProperties: false }, minItems: 1 }, block: URL_KEYWORDS };

/** What each checker takes: the connection options, the timings, and its own. */
export const CHECKER_KEYWORDS: Record<CheckerType, Keyword[]> = {
  TCP_CHECK: [...CONNECTION_KEYWORDS, ...CHECK_TIMING_KEYWORDS],
  HTTP_GET: [...CONNECTION_KEYWORDS, ...CHECK_TIMING_KEYWORDS, kw('virtualhost', 'word', URL_KEYWORDS[3].schema), url],
  SSL_GET: [...CONNECTION_KEYWORDS, ...CHECK_TIMING_KEYWORDS, kw('virtualhost', 'word', URL_KEYWORDS[3].schema), kw('enable_sni', 'flag', flag), url],
  DNS_CHECK: [
    ...CONNECTION_KEYWORDS,
    ...CHECK_TIMING_KEYWORDS,
    kw('type', 'word', { enum: ['A', 'NS', 'CNAME', 'SOA', 'MX', 'TXT', 'AAAA'] }),
    kw('name', 'word', { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,253}$' }),
  ],
  // keepalived.conf(5): MISC_CHECK has none of the connection options, only the timings.
  MISC_CHECK: [
    ...CHECK_TIMING_KEYWORDS,
    kw('misc_path', 'script', scriptSchema),
    kw('misc_timeout', 'int', int(1, 86400)),
    kw('misc_dynamic', 'flag', flag),
    kw('user', 'words', userSchema),
  ],
  UDP_CHECK: [...CONNECTION_KEYWORDS, ...CHECK_TIMING_KEYWORDS],
};

/** The keyword a name stands for in a block: its own, or an older alias of it. */
export function keywordNamed(table: Keyword[], name: string): Keyword | undefined {
  return table.find((k) => k.name === name || k.aliases?.includes(name));
}
