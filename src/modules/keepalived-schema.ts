/**
 * The keepalived module's arguments. Every string ends up as a token in keepalived.conf, whose
 * parser splits on whitespace, starts comments at `!` and `#`, nests on braces and expands `$NAME`
 * definitions — so strings are limited to characters none of that reads, and addresses must be
 * plain dotted quads. A value that would change the file's structure is refused here, not escaped.
 */
import { interfaceSchema, ipv4Schema, pathSchema, portSchema } from './lvs-schema.ts';

export const LB_ALGOS = ['rr', 'wrr', 'lc', 'wlc', 'lblc', 'sh', 'dh', 'sed', 'nq'] as const;
export type LbAlgo = (typeof LB_ALGOS)[number];

export const DEFAULT_KEEPALIVED_CONF = '/etc/keepalived/keepalived.conf';
export const DEFAULT_DELAY_LOOP = 6;
export const DEFAULT_CONNECT_TIMEOUT = 3;

export interface HealthCheck {
  type: 'TCP_CHECK' | 'HTTP_GET';
  connect_timeout?: number;
  /** HTTP_GET only: the URL path requested, and the status it must answer with (default 200). */
  path?: string;
  status_code?: number;
  retry?: number;
  delay_before_retry?: number;
}

export interface RealServer {
  ip: string;
  /** With lb_kind DR the destination port cannot change, so this may only repeat the VIP's port. */
  port?: number;
  /** 0 keeps the server in the table without sending it new connections (adding, draining). */
  weight?: number;
  health_check?: HealthCheck;
}

export interface VirtualServer {
  vip: string;
  port: number;
  protocol?: 'TCP' | 'UDP';
  delay_loop?: number;
  lb_algo: LbAlgo;
  /** Accepted so a playbook may say it; DR is the only kind lvsdr sets up. */
  lb_kind?: 'DR';
  persistence_timeout?: number;
  real_servers: RealServer[];
}

export interface VrrpInstance {
  name: string;
  state: 'MASTER' | 'BACKUP';
  interface: string;
  virtual_router_id: number;
  priority: number;
  advert_int?: number;
  /** A secret: hidden in diffs. VRRP's PASS authentication reads at most 8 characters. */
  auth_pass?: string;
  virtual_ipaddresses: string[];
}

export interface KeepalivedArgs {
  /** The live file (default /etc/keepalived/keepalived.conf); the candidate is written beside it. */
  path?: string;
  /** null is accepted as "none", so a playbook can leave them out with a template (`... else none`). */
  global_defs?: { router_id?: string } | null;
  vrrp?: VrrpInstance | null;
  virtual_servers: VirtualServer[];
  /** `started`: start keepalived when it is not running. Without it a stopped keepalived stays stopped. */
  state?: 'started';
}

/** Names keepalived reads as one token: no whitespace, comment, brace, quote or `$` characters. */
const nameSchema = { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,64}$' } as const;
const seconds = (min: number, max: number) => ({ type: 'integer', minimum: min, maximum: max }) as const;
/** A dotted quad with an optional prefix length, as `virtual_ipaddress` takes it. */
const ipv4OrCidrSchema = {
  type: 'string',
  pattern: '^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(/([0-9]|[12][0-9]|3[0-2]))?$',
} as const;

const healthCheckSchema = {
  type: 'object',
  properties: {
    type: { enum: ['TCP_CHECK', 'HTTP_GET'] },
    connect_timeout: seconds(1, 3600),
    path: { type: 'string', pattern: '^/[A-Za-z0-9_.~%/?=&+,:@-]{0,254}$' },
    status_code: { type: 'integer', minimum: 100, maximum: 599 },
    retry: seconds(0, 100),
    delay_before_retry: seconds(0, 3600),
  },
  required: ['type'],
  if: { properties: { type: { const: 'HTTP_GET' } } },
  then: { required: ['path'] },
  additionalProperties: false,
} as const;

const realServerSchema = {
  type: 'object',
  properties: {
    ip: ipv4Schema,
    port: portSchema,
    weight: { type: 'integer', minimum: 0, maximum: 65535 },
    health_check: healthCheckSchema,
  },
  required: ['ip'],
  additionalProperties: false,
} as const;

const virtualServerSchema = {
  type: 'object',
  properties: {
    vip: ipv4Schema,
    port: portSchema,
    protocol: { enum: ['TCP', 'UDP'] },
    delay_loop: seconds(1, 3600),
    lb_algo: { enum: LB_ALGOS },
    lb_kind: { enum: ['DR'] },
    persistence_timeout: seconds(1, 2678400),
    real_servers: { type: 'array', items: realServerSchema, minItems: 1 },
  },
  required: ['vip', 'port', 'lb_algo', 'real_servers'],
  additionalProperties: false,
} as const;

const vrrpSchema = {
  type: ['object', 'null'],
  properties: {
    name: nameSchema,
    state: { enum: ['MASTER', 'BACKUP'] },
    interface: interfaceSchema,
    virtual_router_id: { type: 'integer', minimum: 1, maximum: 255 },
    priority: { type: 'integer', minimum: 1, maximum: 254 },
    advert_int: seconds(1, 255),
    auth_pass: { type: 'string', pattern: '^[A-Za-z0-9_.:@%+=,/-]{1,8}$' },
    virtual_ipaddresses: { type: 'array', items: ipv4OrCidrSchema, minItems: 1, uniqueItems: true },
  },
  required: ['name', 'state', 'interface', 'virtual_router_id', 'priority', 'virtual_ipaddresses'],
  additionalProperties: false,
} as const;

export const keepalivedSchema = {
  type: 'object',
  properties: {
    path: pathSchema,
    global_defs: {
      type: ['object', 'null'],
      properties: { router_id: nameSchema },
      additionalProperties: false,
    },
    vrrp: vrrpSchema,
    virtual_servers: { type: 'array', items: virtualServerSchema },
    state: { enum: ['started'] },
  },
  required: ['virtual_servers'],
  additionalProperties: false,
} as const;
