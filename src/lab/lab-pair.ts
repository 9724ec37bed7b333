/**
 * A director pair: two directors running real keepalived for VRRP (`keepalived -P`, VRRP only: this
 * kernel has no IPVS) beside the lab's stand-in for IPVS, which forwards on whichever director holds
 * the VIP. The VRRP settings are checked before anything is made; a pair without them, or one whose
 * election would be settled by addresses instead of by intent, is refused with the fix.
 */
import { UserError } from '../core/errors.ts';

export type VrrpState = 'MASTER' | 'BACKUP';

/** One director's part in the pair; the same virtual_router_id, advert_int and nopreempt on both. */
export interface VrrpRole {
  state: VrrpState;
  priority: number;
  virtualRouterId: number;
  advertInt: number;
  nopreempt: boolean;
}

export interface PairOptions {
  /** 1 (default with --director) or 2. */
  directors?: number;
  director?: boolean;
  /** One priority per director, e.g. [150, 100]: required for a pair. */
  vrrpPriority?: number[];
  /** One initial state per director; default MASTER for the higher priority, BACKUP for the other (both BACKUP with nopreempt). */
  vrrpState?: string[];
  /** Seconds between adverts (default 1). */
  vrrpAdvertInt?: number;
  vrrpNopreempt?: boolean;
}

/** Every lab's segment is its own L2, so one router id serves them all (keepalived's sample's). */
export const LAB_VIRTUAL_ROUTER_ID = 51;
export const PAIR_FLAGS = '--vrrp-priority, --vrrp-state, --vrrp-advert-int, --vrrp-nopreempt';

/**
 * The directors a lab gets: none, one (`true`), or a pair (their VRRP roles, primary first).
 * `previous` is the lab's directors as they are; `up` completes a lab, it does not reshape it.
 */
export function chooseDirectors(name: string, asked: PairOptions, previous: readonly (VrrpRole | undefined)[] | undefined): boolean | VrrpRole[] {
  const vrrpAsked = asked.vrrpPriority !== undefined || asked.vrrpState !== undefined || asked.vrrpAdvertInt !== undefined || asked.vrrpNopreempt !== undefined;
  const hadCount = previous?.length;
  const count = asked.directors ?? (asked.director === false ? 0 : asked.director ? Math.max(1, hadCount ?? 1) : (hadCount ?? 0));
  if (![0, 1, 2].includes(count)) {
    throw new UserError({ message: `--directors ${count}: a lab has no director, one, or a pair`, hint: 'give --directors 0, 1 or 2' });
  }
  if (asked.director === false && (asked.directors ?? 0) > 0) {
    throw new UserError({ message: `--no-director asks for no director, but --directors ${asked.directors} for some`, hint: 'leave out one of the two' });
  }
  if (hadCount !== undefined && hadCount > 0 && count > 0 && hadCount !== count) {
    throw new UserError({
      message: `lab ${name} exists with ${hadCount === 2 ? 'a director pair' : 'one director'}, not ${count === 2 ? 'a pair' : 'one'}`,
      hint: `run 'lvsdr lab down --name ${name}' first, or leave out --directors`,
    });
  }
  if (count < 2) {
    if (vrrpAsked) {
      throw new UserError({
        message: `${PAIR_FLAGS} set up a director pair's VRRP, but this lab has ${count === 0 ? 'no director' : 'one director'}`,
        hint: 'add --directors 2, or leave out the --vrrp-* flags',
      });
    }
    return count === 1;
  }
  const had = previous?.every((r) => r !== undefined) && previous.length === 2 ? (previous as VrrpRole[]) : undefined;
  if (!vrrpAsked && had) return had;
  const roles = vrrpRoles(asked);
  if (had && JSON.stringify(had) !== JSON.stringify(roles)) {
    throw new UserError({
      message: `lab ${name} exists with other VRRP settings (${describeRoles(had)})`,
      hint: `run 'lvsdr lab down --name ${name}' first, or leave out the --vrrp-* flags`,
    });
  }
  return roles;
}

function describeRoles(roles: readonly VrrpRole[]): string {
  const each = roles.map((r) => `${r.state} ${r.priority}`).join(', ');
  return `${each}, advert_int ${roles[0].advertInt}${roles[0].nopreempt ? ', nopreempt' : ''}`;
}

function vrrpRoles(asked: PairOptions): VrrpRole[] {
  const priorities = asked.vrrpPriority;
  if (priorities === undefined) {
    throw new UserError({
      message: 'a director pair needs its VRRP settings: which director is the primary is not guessed',
      hint: 'give --vrrp-priority with one priority per director, e.g. --vrrp-priority 150,100 (director1 the primary); optionally --vrrp-state, --vrrp-advert-int, --vrrp-nopreempt',
    });
  }
  if (priorities.length !== 2 || priorities.some((p) => !Number.isInteger(p) || p < 1 || p > 254)) {
    throw new UserError({
      message: `--vrrp-priority ${priorities.join(',')}: a pair needs two priorities, each a whole number from 1 to 254`,
      hint: 'e.g. --vrrp-priority 150,100 (255 is for the router that owns the address, which a VIP is not)',
    });
  }
  const advertInt = asked.vrrpAdvertInt ?? 1;
  if (!Number.isInteger(advertInt) || advertInt < 1 || advertInt > 255) {
    throw new UserError({ message: `--vrrp-advert-int ${advertInt} is not a VRRP advertisement interval`, hint: 'give whole seconds from 1 to 255 (VRRP version 2)' });
  }
  const nopreempt = asked.vrrpNopreempt === true;
  const defaultStates: VrrpState[] = nopreempt
    ? ['BACKUP', 'BACKUP']
    : priorities[0] >= priorities[1] ? ['MASTER', 'BACKUP'] : ['BACKUP', 'MASTER'];
  const states = (asked.vrrpState ?? defaultStates).map((s) => s.toUpperCase());
  if (states.length !== 2 || states.some((s) => s !== 'MASTER' && s !== 'BACKUP')) {
    throw new UserError({ message: `--vrrp-state ${states.join(',')}: a pair needs two states, each MASTER or BACKUP`, hint: 'e.g. --vrrp-state MASTER,BACKUP' });
  }
  if (states[0] === 'MASTER' && states[1] === 'MASTER' && priorities[0] === priorities[1]) {
    throw new UserError({
      message: `both directors are MASTER with priority ${priorities[0]}: which one holds the VIP would be settled by their addresses (VRRP's tie-break), not by you`,
      hint: 'give the primary the higher priority, e.g. --vrrp-priority 150,100 --vrrp-state MASTER,BACKUP',
    });
  }
  if (nopreempt && states.includes('MASTER')) {
    throw new UserError({
      message: 'nopreempt works only from the initial state BACKUP (keepalived.conf(5)), but --vrrp-state has a MASTER',
      hint: 'leave out --vrrp-state (with --vrrp-nopreempt both start BACKUP; the higher priority is elected), or give --vrrp-state BACKUP,BACKUP',
    });
  }
  return states.map((state, i) => ({
    state: state as VrrpState,
    priority: priorities[i],
    virtualRouterId: LAB_VIRTUAL_ROUTER_ID,
    advertInt,
    nopreempt,
  }));
}

/** The inventory's `lvs_vrrp` for one director (playbooks/director.yml reads it). */
export function lvsVrrpVar(role: VrrpRole, iface: string): Record<string, unknown> {
  return {
    state: role.state,
    priority: role.priority,
    virtual_router_id: role.virtualRouterId,
    advert_int: role.advertInt,
    interface: iface,
    ...(role.nopreempt ? { nopreempt: true } : {}),
  };
}

/**
 * The keepalived.conf a pair director boots with: the VRRP instance alone, holding the lab VIP (the
 * instance is named as playbooks/director.yml names it, so its run is a reload of the same instance).
 */
export function pairKeepalivedConf(host: string, role: VrrpRole, iface: string, vip: string): string {
  return [
    `# lvsdr lab: director ${host} of a pair; playbooks/director.yml (lvs_vrrp from the lab inventory) replaces this.`,
    'global_defs {',
    `    router_id ${host}`,
    '}',
    '',
    'vrrp_instance VI_LVS {',
    `    state ${role.state}`,
    `    interface ${iface}`,
    `    virtual_router_id ${role.virtualRouterId}`,
    `    priority ${role.priority}`,
    `    advert_int ${role.advertInt}`,
    ...(role.nopreempt ? ['    nopreempt'] : []),
    '    virtual_ipaddress {',
    `        ${vip}/32`,
    '    }',
    '}',
    '',
  ].join('\n');
}

/**
 * How long a backup waits before it takes over from a master that went silent (RFC 3768 §6.1):
 * 3 × advert_int + skew, skew = (256 − priority) / 256 seconds.
 */
export function masterDownSeconds(backup: VrrpRole): number {
  return 3 * backup.advertInt + (256 - backup.priority) / 256;
}
