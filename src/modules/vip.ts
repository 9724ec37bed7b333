/**
 * `vip`: a virtual IP on a real server (on lo for the sysctl method, on the real interface for the
 * arptables method), added at runtime with `ip addr` and brought back at boot by an enabled unit of
 * lvsdr's, one per VIP, ordered after every unit that restores ARP suppression — so a rebooting
 * real server never holds the VIP while it still answers ARP for it.
 */
import type { NetInterface } from '../facts/types.ts';
import { sh } from '../shell/quote.ts';
import { interfaceSchema, ipv4Schema, pathSchema, stateSchema, unitSchema, type PresentAbsent } from './lvs-schema.ts';
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
    address: ipv4Schema,
    prefix: { type: 'integer', minimum: 1, maximum: 32, default: 32 },
    device: { anyOf: [interfaceSchema, { type: 'null' }], description: "Default: the interface of the host's default route." },
    label: { anyOf: [interfaceSchema, { type: 'null' }], description: 'e.g. lo:0 or eth0:1; must start with the device name. Default: none.' },
    state: stateSchema,
    persist: { type: 'boolean', default: true },
    arp_guard: { enum: ['arptables', 'sysctl', 'none'], description: 'Which ARP suppression must be in place before the VIP is added.' },
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

function placements(interfaces: NetInterface[], address: string): Placement[] {
  return interfaces.flatMap((i) =>
    i.addresses.filter((a) => a.family === 'inet' && a.address === address).map((a) => ({ device: i.name, prefixlen: a.prefixlen, label: a.label })),
  );
}

/** What an address command touches: the host's interfaces. */
const INTERFACES = factKey(interfacesFact, undefined);

const deviceOf = (args: VipArgs, ctx: ModuleContext): string | undefined => args.device ?? ctx.facts.defaultInterface;

export function planVip(given: VipArgs, state: StateView, ctx: ModuleContext): Plan {
  const args = { ...given, label: given.label ?? undefined };
  const prefix = args.prefix ?? 32;
  const unit = vipUnitName(args.address);
  const interfaces = state.fact(interfacesFact, undefined);
  const found = placements(interfaces, args.address);
  const del = (p: Placement) => sh`ip addr del ${`${args.address}/${p.prefixlen}`} dev ${p.device}`;
  const withoutVip = interfaces.map((i) => ({ ...i, addresses: i.addresses.filter((a) => !(a.family === 'inet' && a.address === args.address)) }));
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

  const device = deviceOf(args, ctx);
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
          addresses: i.addresses.filter((a) => !(a.family === 'inet' && a.address === args.address && !right({ device: i.name, prefixlen: a.prefixlen, label: a.label }))),
        })),
      ),
    });
  } else if (!found.some(right)) {
    const wrong = found.filter((p) => !right(p));
    const label = args.label ? sh` label ${args.label}` : sh``;
    const after = withoutVip.map((i) =>
      i.name === device ? { ...i, addresses: [...i.addresses, { family: 'inet' as const, address: args.address, prefixlen: prefix, label: args.label ?? device }] } : i,
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
