/**
 * The keepalived module's arguments: keepalived.conf's blocks as lists of objects whose keys are
 * keepalived's keywords (keepalived-keywords.ts). Every string ends up as a token in
 * keepalived.conf, whose parser splits on whitespace, starts comments at `!` and `#`, nests on
 * braces and expands `$NAME` definitions — so strings are limited to characters none of that reads.
 * A value that would change the file's structure is refused here, not escaped.
 */
import {
  CHECKER_KEYWORDS,
  CHECKER_TYPES,
  GLOBAL_DEFS_KEYWORDS,
  ipSchema,
  type CheckerType,
  type Keyword,
  nameSchema,
  portSchema,
  REAL_SERVER_KEYWORDS,
  VIRTUAL_SERVER_KEYWORDS,
  VRRP_INSTANCE_KEYWORDS,
  VRRP_SCRIPT_KEYWORDS,
  VRRP_SYNC_GROUP_KEYWORDS,
  type LVS_METHODS,
  type LVS_SCHEDULERS,
} from './keepalived-keywords.ts';
import { fwmarkRuleSchema, type FwmarkRule } from './keepalived-marks.ts';
import { markSchema, pathSchema } from './lvs-schema.ts';

export const DEFAULT_KEEPALIVED_CONF = '/etc/keepalived/keepalived.conf';

export type LvsSched = (typeof LVS_SCHEDULERS)[number];
export type LvsMethod = (typeof LVS_METHODS)[number];

export interface UrlCheck {
  path?: string;
  digest?: string;
  status_code?: number;
  virtualhost?: string;
}

/** The options of every checker type in one shape; the schema allows each type only its own. */
export interface CheckerOptions {
  connect_ip?: string;
  connect_port?: number;
  bindto?: string;
  bind_port?: number;
  connect_timeout?: number;
  retry?: number;
  delay_before_retry?: number;
  warmup?: number;
  delay_loop?: number;
  virtualhost?: string;
  url?: UrlCheck[];
  enable_sni?: boolean;
  /** DNS_CHECK: the query type and name. */
  type?: string;
  name?: string;
  misc_path?: string;
  misc_timeout?: number;
  misc_dynamic?: boolean;
  user?: string;
}

/** One checker, keyed by its keepalived block name: `{HTTP_GET: {url: [{path: /healthz}]}}`. */
export type HealthCheck = Partial<Record<CheckerType, CheckerOptions>>;

/** Options a virtual or real server sets as defaults for its checkers. */
type CheckDefaults = Pick<CheckerOptions, 'connect_timeout' | 'retry' | 'delay_before_retry' | 'warmup' | 'delay_loop' | 'virtualhost'> & {
  alpha?: boolean;
  inhibit_on_failure?: boolean;
};

export interface RealServer extends CheckDefaults {
  ip: string;
  /** With lvs_method DR or TUN the destination port cannot change, so it may only repeat the VIP's port. */
  port?: number;
  /** 0 keeps the server in the table without sending it new connections (adding, draining). */
  weight?: number;
  notify_up?: string;
  notify_down?: string;
  uthreshold?: number;
  lthreshold?: number;
  /** keepalived keeps a real server in service while all of its checkers pass; none: always. */
  health_checks?: HealthCheck[];
}

export interface VirtualServer extends CheckDefaults {
  /** `virtual_server VIP PORT`, or `virtual_server fwmark N`, or `virtual_server group NAME`. */
  vip?: string;
  port?: number;
  fwmark?: number;
  group?: string;
  protocol?: 'TCP' | 'UDP';
  lvs_sched?: LvsSched;
  /** Input alias of lvs_sched (keepalived's older name); never written. */
  lb_algo?: LvsSched;
  /** Default DR: the method lvsdr sets real servers up for. */
  lvs_method?: LvsMethod;
  /** Input alias of lvs_method (keepalived's older name); never written. */
  lb_kind?: LvsMethod;
  'sh-port'?: boolean;
  'sh-fallback'?: boolean;
  'mh-port'?: boolean;
  'mh-fallback'?: boolean;
  ops?: boolean;
  persistence_timeout?: number;
  persistence_granularity?: string | number;
  omega?: boolean;
  quorum?: number;
  hysteresis?: number;
  quorum_up?: string;
  quorum_down?: string;
  sorry_server?: { ip: string; port?: number };
  sorry_server_inhibit?: boolean;
  ha_suspend?: boolean;
  real_servers: RealServer[];
}

export interface VirtualServerGroup {
  name: string;
  /** Lines of the group: `VIP PORT`, `FIRST-LAST PORT` (an address range), `fwmark N`. */
  members: string[];
}

export interface VrrpInstance {
  name: string;
  state?: 'MASTER' | 'BACKUP';
  interface: string;
  virtual_router_id: number;
  priority?: number;
  advert_int?: number;
  /** A secret: hidden in diffs. VRRP's PASS authentication reads at most 8 characters. */
  auth_pass?: string;
  nopreempt?: boolean;
  preempt_delay?: number;
  garp_master_delay?: number;
  unicast_src_ip?: string;
  unicast_peer?: string[];
  track_interface?: string[];
  track_script?: string[];
  notify_master?: string;
  notify_backup?: string;
  notify_fault?: string;
  notify_stop?: string;
  notify?: string;
  virtual_ipaddress?: string[];
}

export interface VrrpScript {
  name: string;
  script: string;
  interval?: number;
  timeout?: number;
  weight?: number;
  rise?: number;
  fall?: number;
  user?: string;
  init_fail?: boolean;
}

export interface VrrpSyncGroup {
  name: string;
  group: string[];
  track_script?: string[];
  notify_master?: string;
  notify_backup?: string;
  notify_fault?: string;
  notify?: string;
}

export interface GlobalDefs {
  router_id?: string;
  lvs_sync_daemon?: string;
  enable_script_security?: boolean;
  script_user?: string;
  vrrp_garp_master_delay?: number;
  vrrp_garp_master_repeat?: number;
  vrrp_garp_lower_prio_delay?: number;
  vrrp_garp_lower_prio_repeat?: number;
  vrrp_garp_master_refresh?: number;
  vrrp_garp_master_refresh_repeat?: number;
  vrrp_garp_interval?: number;
  vrrp_gna_interval?: number;
}

/** The configuration itself, as an adopted keepalived.conf parses into it. */
export interface KeepalivedConfig {
  /** null is accepted as "none", so a playbook can leave it out with a template (`... else none`). */
  global_defs?: GlobalDefs | null;
  vrrp_scripts?: VrrpScript[];
  vrrp_instances?: VrrpInstance[];
  vrrp_sync_groups?: VrrpSyncGroup[];
  virtual_server_groups?: VirtualServerGroup[];
  virtual_servers: VirtualServer[];
}

export interface KeepalivedArgs extends KeepalivedConfig {
  /** The live file (default /etc/keepalived/keepalived.conf); the candidate is written beside it. */
  path?: string;
  /** The director's rules that mark each fwmark service's traffic (keepalived-marks.ts). */
  fwmark_rules?: FwmarkRule[];
  /** `started`: start keepalived when it is not running. Without it a stopped keepalived stays stopped. */
  state?: 'started';
}

/** The properties of a block's keywords, aliases included (as input). */
function propertiesOf(table: Keyword[]): Record<string, object> {
  const props: Record<string, object> = {};
  for (const k of table) for (const name of [k.name, ...(k.aliases ?? [])]) props[name] = k.schema;
  return props;
}

const objectOf = (properties: Record<string, object>, required: string[] = []) => ({ type: 'object', properties, required, additionalProperties: false });

const checkerSchema = (type: CheckerType) => objectOf(propertiesOf(CHECKER_KEYWORDS[type]));

/** One key, the checker's type: `- TCP_CHECK: {}`. */
const healthCheckSchema = {
  ...objectOf(Object.fromEntries(CHECKER_TYPES.map((t) => [t, checkerSchema(t)]))),
  minProperties: 1,
  maxProperties: 1,
};

const realServerSchema = objectOf(
  { ip: ipSchema, port: portSchema, ...propertiesOf(REAL_SERVER_KEYWORDS), health_checks: { type: 'array', items: healthCheckSchema } },
  ['ip'],
);

const virtualServerSchema = {
  ...objectOf({
    vip: ipSchema,
    port: portSchema,
    fwmark: markSchema,
    group: nameSchema,
    ...propertiesOf(VIRTUAL_SERVER_KEYWORDS),
    real_servers: { type: 'array', items: realServerSchema, minItems: 1 },
  }),
  required: ['real_servers'],
  // Exactly one way of naming the service: what `virtual_server` is followed by.
  oneOf: [{ required: ['vip'] }, { required: ['fwmark'] }, { required: ['group'] }],
  // Without one keepalived picks wlc and warns, which --config-test counts as an error.
  anyOf: [{ required: ['lvs_sched'] }, { required: ['lb_algo'] }],
  dependencies: { vip: ['port'], port: ['vip'] },
};

/** Group lines: an address or range and a port, or a mark. */
const groupMemberSchema = {
  type: 'string',
  pattern: '^((([0-9]{1,3}\\.){3}[0-9]{1,3}(-[0-9]{1,3})?|[0-9A-Fa-f:]*:[0-9A-Fa-f:]*(-[0-9A-Fa-f]{1,4})?) [0-9]{1,5}|fwmark [0-9]{1,10})$',
};

const named = (table: Keyword[], required: string[]) => objectOf({ name: nameSchema, ...propertiesOf(table) }, ['name', ...required]);

export const keepalivedConfigProperties = {
  global_defs: { ...objectOf(propertiesOf(GLOBAL_DEFS_KEYWORDS)), type: ['object', 'null'] },
  vrrp_scripts: { type: 'array', items: named(VRRP_SCRIPT_KEYWORDS, ['script']) },
  vrrp_instances: {
    type: 'array',
    items: objectOf({ name: nameSchema, auth_pass: { type: 'string', pattern: '^[A-Za-z0-9_.:@%+=,/-]{1,8}$' }, ...propertiesOf(VRRP_INSTANCE_KEYWORDS) }, ['name', 'interface', 'virtual_router_id']),
  },
  vrrp_sync_groups: { type: 'array', items: named(VRRP_SYNC_GROUP_KEYWORDS, ['group']) },
  virtual_server_groups: {
    type: 'array',
    items: objectOf({ name: nameSchema, members: { type: 'array', items: groupMemberSchema, minItems: 1, uniqueItems: true } }, ['name', 'members']),
  },
  virtual_servers: { type: 'array', items: virtualServerSchema },
};

export const keepalivedConfigSchema = objectOf(keepalivedConfigProperties, ['virtual_servers']);

export const keepalivedSchema = objectOf(
  { path: pathSchema, ...keepalivedConfigProperties, fwmark_rules: { type: 'array', items: fwmarkRuleSchema }, state: { enum: ['started'] } },
  ['virtual_servers'],
);
