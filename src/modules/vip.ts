/**
 * `vip`: a virtual IP on a real server (on lo for the sysctl method, on the real interface for the
 * arptables method), added at runtime with `ip addr` and brought back at boot by an enabled unit of
 * lvsdr's, one per VIP, ordered after every unit that restores ARP suppression — so a rebooting
 * real server never holds the VIP while it still answers ARP for it.
 *
 * An IPv6 VIP goes on lo as /128 whatever the method: IPv6 has no ARP, and Linux answers a neighbour
 * solicitation only for an address of the interface it arrived on (and lo does no duplicate address
 * detection), so on lo the VIP is never announced to the segment. That is the whole suppression for
 * IPv6: the ARP guards (arptables rules, arp_ignore/arp_announce) do not apply, and a task asking
 * for one with an IPv6 VIP is refused rather than checked against IPv4-only state.
 */
import type { NetInterface } from '../facts/types.ts';
import { sh } from '../shell/quote.ts';
import { interfaceSchema, ipv4or6Schema, pathSchema, stateSchema, unitSchema, type PresentAbsent } from './lvs-schema.ts';
import { canonicalAddress, familyOf, type AddressFamily } from './address-order.ts';
import { factEffect, factKey } from '../facts/fact.ts';
import { interfacesFact } from '../facts/interfaces.ts';
import type { Change, ModuleContext, ModuleDef, Plan, StateView } from './types.ts';
import { ownUnitChanges, removeOwnUnitChanges } from './unit-changes.ts';
import { guardFailure, type GuardArgs } from './vip-guard.ts';
import { vipUnit, vipUnitName } from './vip-unit.ts';

export interface VipArgs extends GuardArgs {
  address: string;
  prefix?: number;
  /** null (a template that found nothing) means the same as leaving it out. */
  device?: string | null;
  label?: string | null;
  state?: PresentAbsent;
  persist?: boolean;
}

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['address'],
  properties: {
    address: { ...ipv4or6Schema, description: 'An IPv4 address, or an IPv6 one (which goes on lo).' },
    prefix: { type: 'integer', minimum: 1, maximum: 128, description: 'Default: 32 for IPv4 (at most 32), 128 for IPv6.' },
    device: { anyOf: [interfaceSchema, { type: 'null' }], description: "Default: the interface of the host's default route." },
    label: { anyOf: [interfaceSchema, { type: 'null' }], description: 'e.g. lo:0 or eth0:1; must start with the device name. Default: none.' },
    state: stateSchema,
    persist: { type: 'boolean', default: true },
    arp_guard: {
      enum: ['arptables', 'sysctl', 'none'],
      description: 'Which ARP suppression must be in place before the VIP is added; none for an IPv6 VIP (no ARP: lo itself keeps it out of neighbour discovery).',
    },
    arp_interface: { anyOf: [interfaceSchema, { type: 'null' }], description: "Where ARP requests arrive (sysctl guard). Default: the default route's interface." },
    arp_guard_file: pathSchema,
    arp_guard_unit: unitSchema,
  },
  // A VIP added without saying how ARP for it is suppressed is the classic LVS-DR outage.
  if: { not: { properties: { state: { const: 'absent' } }, required: ['state'] } },
  then: { required: ['address', 'arp_guard'] },
};

interface Placement {
  device: string;
  prefixlen: number;
  label?: string;
}

function placements(interfaces: NetInterface[], family: AddressFamily, address: string): Placement[] {
  return interfaces.flatMap((i) =>
    i.addresses.filter((a) => a.family === family && a.address === address).map((a) => ({ device: i.name, prefixlen: a.prefixlen, label: a.label })),
  );
}

/** Why an IPv6 VIP task cannot be done as asked, or undefined. */
function ipv6Problem(args: VipArgs, device: string | undefined): string | undefined {
  if (args.arp_guard && args.arp_guard !== 'none') {
    return `arp_guard ${args.arp_guard} suppresses ARP, which IPv6 does not use: an IPv6 VIP on lo is not answered by neighbour discovery on other interfaces; set arp_guard: none for ${args.address}`;
  }
  if (device !== 'lo') {
    return `an IPv6 VIP goes on lo (Linux answers neighbour solicitations for the addresses of the asking interface, so on ${device ?? 'the default route interface'} ${args.address} would be announced to the segment); set device: lo`;
  }
  if (args.label) return 'an IPv6 address has no label (ip addr takes labels for IPv4 only); leave label out';
  return undefined;
}

/** What an address command touches: the host's interfaces. */
const INTERFACES = factKey(interfacesFact, undefined);

const deviceOf = (args: VipArgs, ctx: ModuleContext): string | undefined => args.device ?? ctx.facts.defaultInterface;

export function planVip(given: VipArgs, state: StateView, ctx: ModuleContext): Plan {
  const args = { ...given, address: canonicalAddress(given.address), label: given.label ?? undefined };
  const family = familyOf(args.address);
  const prefix = args.prefix ?? (family === 'inet6' ? 128 : 32);
  const unit = vipUnitName(args.address);
  const interfaces = state.fact(interfacesFact, undefined);
  const found = placements(interfaces, family, args.address);
  const del = (p: Placement) => sh`ip addr del ${`${args.address}/${p.prefixlen}`} dev ${p.device}`;
  const isVip = (a: { family: string; address: string }) => a.family === family && a.address === args.address;
  const withoutVip = interfaces.map((i) => ({ ...i, addresses: i.addresses.filter((a) => !isVip(a)) }));
  const changes: Change[] = [];

  if (args.state === 'absent') {
    if (found.length > 0) {
      changes.push({
        summary: `remove VIP ${args.address} from ${found.map((p) => p.device).join(', ')}`,
        commands: found.map((p) => ({ command: del(p), touches: [INTERFACES] })),
        effects: factEffect(interfacesFact, undefined, withoutVip),
      });
    }
    changes.push(...removeOwnUnitChanges(unit, state, ctx.facts.systemdRunning));
    return changes.length > 0 ? { kind: 'change', changes } : { kind: 'noop', reason: `VIP ${args.address} absent, no ${unit}` };
  }

  if (family === 'inet' && prefix > 32) return { kind: 'fail', message: `prefix ${prefix} is not an IPv4 prefix length (at most 32)` };
  const device = family === 'inet6' ? (args.device ?? 'lo') : deviceOf(args, ctx);
  const six = family === 'inet6' ? ipv6Problem(args, device) : undefined;
  if (six) return { kind: 'fail', message: six };
  if (!device) return { kind: 'fail', message: 'this host has no default route to take the VIP device from; set device (lo for the sysctl method)' };
  if (args.label && !(args.label === device || args.label.startsWith(`${device}:`))) {
    return { kind: 'fail', message: `label ${args.label} must start with the device name: ${device}:<something>` };
  }
  const persist = args.persist !== false;
  const cidr = `${args.address}/${prefix}`;
  // Every fact the plan needs is asked for before the first decision that can end it, so all of
  // them are read in one exec (and by the play's prefetch, which plans on facts not read yet).
  const guard = guardFailure(args, args.address, device, state, ctx, persist);
  const unitChanges = persist ? ownUnitChanges(unit, vipUnit({ cidr, device, label: args.label, guardUnit: args.arp_guard_unit }), state, ctx.facts.systemdRunning) : [];
  if (!interfaces.some((i) => i.name === device)) return { kind: 'fail', message: `this host has no interface ${device}` };
  if (guard) return { kind: 'fail', message: guard };

  const right = (p: Placement) => p.device === device && p.prefixlen === prefix && (!args.label || p.label === args.label);
  if (found.some(right) && found.some((p) => !right(p))) {
    // The VIP twice (another device or prefix, left by hand or by a run that raced this one) is drift.
    const extra = found.filter((p) => !right(p));
    const kept = found.find(right)!;
    changes.push({
      summary: `remove duplicate VIP ${args.address} from ${extra.map((p) => `${p.device}/${p.prefixlen}`).join(', ')} (kept on ${kept.device}/${kept.prefixlen})`,
      commands: extra.map((p) => ({ command: del(p), touches: [INTERFACES] })),
      effects: factEffect(
        interfacesFact,
        undefined,
        interfaces.map((i) => ({
          ...i,
          addresses: i.addresses.filter((a) => !(isVip(a) && !right({ device: i.name, prefixlen: a.prefixlen, label: a.label }))),
        })),
      ),
    });
  } else if (!found.some(right)) {
    const wrong = found.filter((p) => !right(p));
    const label = args.label ? sh` label ${args.label}` : sh``;
    const after = withoutVip.map((i) =>
      i.name === device
        ? { ...i, addresses: [...i.addresses, { family, address: args.address, prefixlen: prefix, ...(family === 'inet' ? { label: args.label ?? device } : {}) }] }
        : i,
    );
    changes.push({
      summary: `${wrong.length > 0 ? `move VIP ${args.address} from ${wrong.map((p) => `${p.device}/${p.prefixlen}`).join(', ')} to` : 'add VIP'} ${cidr} on ${device}${args.label ? ` (${args.label})` : ''}`,
      commands: [...wrong.map((p) => del(p)), sh`ip addr add ${cidr} dev ${device}${label}`].map((command) => ({ command, touches: [INTERFACES] })),
      effects: factEffect(interfacesFact, undefined, after),
    });
  }
  changes.push(...unitChanges);
  if (changes.length > 0) return { kind: 'change', changes };
  return { kind: 'noop', reason: `VIP ${cidr} on ${device}${args.label ? ` (${args.label})` : ''}${persist ? `; ${unit} enabled` : ''}` };
}

export const vipModule: ModuleDef<VipArgs> = {
  name: 'vip',
  summary: 'A VIP on a real server, up now and at boot after ARP suppression (refused until that is in place)',
  schema,
  plan: planVip,
};
