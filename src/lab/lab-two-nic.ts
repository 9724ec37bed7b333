/**
 * A two-NIC director, as the RHEL guide allows ("incoming requests are handled by one NIC and routed
 * packets to real servers on the other"): eth0 on a front segment between the router and the
 * director, where the VIPs are; eth1 on the real servers' segment. It needs a routed lab (the
 * router joins the front segment, and is the real servers' way back to the client) and one
 * director; anything else is refused with the fix before anything is made.
 */
import { UserError } from '../core/errors.ts';
import type { LabTopology } from './lab-names.ts';
import { lightVethName } from './lab-names.ts';

export function chooseDirectorNics(
  name: string,
  asked: number | undefined,
  had: boolean | undefined,
  topology: LabTopology,
  directors: boolean | readonly unknown[],
): boolean {
  if (asked !== undefined && asked !== 1 && asked !== 2) {
    throw new UserError({ message: `--director-nics ${asked}: a lab director has one NIC or two`, hint: 'give --director-nics 1 or 2' });
  }
  if (had !== undefined && asked !== undefined && had !== (asked === 2)) {
    throw new UserError({
      message: `lab ${name} exists with a director of ${had ? 'two NICs' : 'one NIC'}, not ${asked}`,
      hint: `run 'lvsdr lab down --name ${name}' first, or leave out --director-nics`,
    });
  }
  const twoNic = asked !== undefined ? asked === 2 : had === true;
  if (!twoNic) return false;
  if (topology !== 'routed') {
    throw new UserError({
      message: "--director-nics 2 puts the director's back NIC on the real servers' segment and its front NIC on a segment of its own towards the router, but a flat lab has no router and one segment",
      hint: 'add --topology routed (the client behind a router that joins the front segment), or leave out --director-nics',
    });
  }
  if (directors !== true) {
    throw new UserError({
      message: `--director-nics 2 is for one director, but this lab has ${directors === false ? 'none' : 'a pair'}`,
      hint: directors === false ? 'add --director' : 'leave out --directors 2 (the lab makes a pair with one NIC each), or leave out --director-nics',
    });
  }
  return true;
}

/** The machine's side of a two-NIC director's back NIC (eth1 inside), on the lab's own bridge. */
export function backVethName(subnetIndex: number): string {
  return lightVethName(subnetIndex, 'dirb');
}
