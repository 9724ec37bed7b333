/**
 * Schema pieces shared by the LVS modules. They are strict on purpose: every value ends up in a
 * remote command line, a systemd unit or a saved rules file, so anything that is not plainly an
 * address, a port or a name is refused before a command is built (quoting is the second line).
 */

export const ipv4Schema = { type: 'string', format: 'ipv4' } as const;

/** An IPv4 or an IPv6 address (a VIP of either family). */
export const ipv4or6Schema = { anyOf: [ipv4Schema, { type: 'string', format: 'ipv6' }] } as const;

export const portSchema = { type: 'integer', minimum: 1, maximum: 65535 } as const;

/** A firewall mark as IPVS takes it: 0 means "no mark", so a service's mark is 1 or more. */
export const markSchema = { type: 'integer', minimum: 1, maximum: 4294967295 } as const;

/** Linux interface names: at most 15 bytes (IFNAMSIZ - 1). */
export const interfaceSchema = { type: 'string', pattern: '^[a-zA-Z0-9_.@:-]{1,15}$' } as const;

/** Absolute paths without spaces or shell syntax; they are also written into unit files. */
export const pathSchema = { type: 'string', pattern: '^/[A-Za-z0-9_.@+/-]{1,254}$', not: { pattern: '(^|/)\\.\\.(/|$)' } } as const;

export const unitSchema = { type: 'string', pattern: '^[A-Za-z0-9_.@:-]{1,200}\\.service$' } as const;

export const stateSchema = { enum: ['present', 'absent'], default: 'present' } as const;

export type PresentAbsent = 'present' | 'absent';

/** A rule module's rule set kept across reboots: whether, and where (the layout's defaults otherwise). */
export interface PersistedRuleArgs {
  state?: PresentAbsent;
  persist?: boolean;
  file?: string;
  unit?: string;
}

export const persistedRuleProperties = {
  state: stateSchema,
  persist: { type: 'boolean', default: true },
  file: pathSchema,
  unit: unitSchema,
};
