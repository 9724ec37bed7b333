/** The host's interfaces and their addresses (`net:interfaces`): kernel state, in no file. */
import { marker } from '../shell/marker.ts';
import { sh } from '../shell/quote.ts';
import { READ_FROM_NO_FILE, type Fact } from './fact.ts';
import { parseIpAddr } from './ip-addr.ts';
import { parseIpOneline } from './parsers/ip-oneline.ts';
import { stdoutOf } from './stdout-of.ts';
import type { NetInterface } from './types.ts';

const ONELINE_MARK = marker('ip-oneline');

/** `ip -j addr`, or on iproute2 without JSON (RHEL 7) its one-line output. The host has one set: no parameter. */
export const interfacesFact: Fact<void, NetInterface[]> = {
  kind: 'net',
  id: () => 'interfaces',
  read: { command: () => sh`ip -j addr show 2>/dev/null || { echo ${ONELINE_MARK}; ip -o link show; echo ${ONELINE_MARK}; ip -o addr show; }` },
  parse(r) {
    const out = stdoutOf('ip addr show', r);
    if (!out.includes(ONELINE_MARK)) return parseIpAddr(out);
    const [, links = '', addrs = ''] = out.split(`${ONELINE_MARK}\n`);
    return parseIpOneline(links, addrs);
  },
  unread: [],
  changedByWriting: READ_FROM_NO_FILE,
};
