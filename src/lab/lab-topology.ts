/**
 * Which network shape a lab has, checked before anything is made: `up` completes a lab, it does not
 * reshape it, and a shape that makes no sense is refused with the fix.
 */
import { UserError } from '../core/errors.ts';
import type { LabTopology } from './lab-names.ts';
import { TOPOLOGIES } from './lab-names.ts';
import type { LabState } from './lab-state.ts';

export interface TopologyChoice {
  topology: LabTopology;
  /** Whether the lab has a client: a routed lab always has one (it is what the router is for). */
  client: boolean;
}

export function chooseTopology(
  name: string,
  asked: { topology?: string; client?: boolean },
  previous: LabState | undefined,
  hadClient: boolean,
): TopologyChoice {
  const had = previous ? (previous.topology ?? 'flat') : undefined;
  const topology = asked.topology ?? had ?? 'flat';
  if (!TOPOLOGIES.includes(topology as LabTopology)) {
    throw new UserError({
      message: `--topology ${topology} is not a lab topology`,
      hint: `give one of: ${TOPOLOGIES.join(', ')}`,
    });
  }
  if (had !== undefined && had !== topology) {
    throw new UserError({
      message: `lab ${name} exists with topology ${had}, not ${topology}`,
      hint: `run 'lvsdr lab down --name ${name}' first, or leave out --topology`,
    });
  }
  if (topology === 'routed' && asked.client === false) {
    throw new UserError({
      message: '--topology routed puts the client on its own segment behind a router, but --no-client asks for no client',
      hint: 'leave out --no-client (a routed lab always has a client), or leave out --topology routed',
    });
  }
  return { topology: topology as LabTopology, client: topology === 'routed' || (asked.client ?? hadClient) };
}
