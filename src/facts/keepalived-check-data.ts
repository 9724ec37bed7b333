/**
 * keepalived's own view of its real servers' health: the checker process's data dump
 * (`/tmp/keepalived_check.data`), which it writes on the DATA signal (`keepalived --signum=DATA`).
 * `ipvsadm -Ln` cannot say this: with `inhibit_on_failure` keepalived keeps a failed real server in
 * IPVS at weight 0, and a rollout adds new ones at weight 0 on purpose, so listed is not healthy.
 * The dump's `alive` of a real server is what keepalived decided from its checkers.
 *
 * The shapes are those of keepalived 2.2.7's dump_vs and dump_rs (keepalived/check/check_data.c):
 * ` VS VIP = A, VPORT = P` (or ` VS FWMARK = N`, ` VS GROUP = [name]:port`), `   protocol = TCP`,
 * then per real server `   RIP = A, RPORT = P, WEIGHT = W EFF WEIGHT = E` and `   alive = 0|1`.
 */
import { sh } from '../shell/quote.ts';

export interface CheckedRealServer {
  ip: string;
  port: number;
  weight: number;
  alive: boolean;
}

export interface CheckedService {
  /** `VIP:PORT`'s address, or undefined for a fwmark or group service. */
  vip?: string;
  port?: number;
  fwmark?: number;
  group?: string;
  protocol?: string;
  realServers: CheckedRealServer[];
}

/** keepalived's tmp_dir when TMPDIR is not set for it (utils.c set_tmp_dir). */
export const KEEPALIVED_CHECK_DATA = '/tmp/keepalived_check.data';

/**
 * Asks the running keepalived for a fresh dump and prints it. The old file goes first, so what is
 * printed was written after the signal; keepalived writes it in one go from its event loop, so the
 * dump is complete once its size holds for a tenth of a second. Bounded: about 5 s.
 */
export const keepalivedCheckDataCommand = sh`f=${KEEPALIVED_CHECK_DATA}; rm -f "$f"; sig=$(keepalived --signum=DATA) || exit 3; if [ -d /run/systemd/system ] && systemctl is-active --quiet keepalived; then systemctl kill --kill-whom=main --signal="$sig" keepalived || exit 3; else kill -s "$sig" "$(cat /run/keepalived.pid)" || exit 3; fi; i=0; last=-1; while [ "$i" -lt 50 ]; do if [ -f "$f" ]; then size=$(wc -c < "$f"); else size=-1; fi; if [ "$size" -gt 0 ] && [ "$size" = "$last" ]; then cat "$f"; exit 0; fi; last=$size; i=$((i + 1)); sleep 0.1; done; echo "keepalived wrote no checker data to $f within 5 s of the DATA signal" >&2; exit 4`;

const VS_ADDRESS = /^ VS VIP = (\S+), VPORT = (\d+)$/;
const VS_FWMARK = /^ VS FWMARK = (\d+)$/;
const VS_GROUP = /^ VS GROUP = \[(.+)\]:(\d+)$/;
const PROTOCOL = /^ {3}protocol = (\S+)$/;
const RS = /^ {3}RIP = (\S+), RPORT = (\d+), WEIGHT = (-?\d+)/;
const ALIVE = /^ {3}alive = (\d+)$/;

/** The virtual services of the dump with their real servers; other sections (global, checkers) are passed over. */
export function parseKeepalivedCheckData(text: string): CheckedService[] {
  const services: CheckedService[] = [];
  let service: CheckedService | undefined;
  let rs: CheckedRealServer | undefined;
  let inTopology = false;
  for (const line of text.split('\n')) {
    // A section header at the left margin: only the LVS topology holds services.
    if (line.startsWith('------<')) {
      inTopology = line.startsWith('------< LVS Topology >');
      service = rs = undefined;
      continue;
    }
    if (!inTopology) continue;
    let m: RegExpExecArray | null;
    if ((m = VS_ADDRESS.exec(line))) service = { vip: m[1], port: Number(m[2]), realServers: [] };
    else if ((m = VS_FWMARK.exec(line))) service = { fwmark: Number(m[1]), realServers: [] };
    else if ((m = VS_GROUP.exec(line))) service = { group: m[1], port: Number(m[2]), realServers: [] };
    if (m) {
      services.push(service!);
      rs = undefined;
      continue;
    }
    if (!service) continue;
    if ((m = PROTOCOL.exec(line)) && !rs) service.protocol = m[1];
    else if ((m = RS.exec(line))) {
      rs = { ip: m[1], port: Number(m[2]), weight: Number(m[3]), alive: false };
      service.realServers.push(rs);
    } else if ((m = ALIVE.exec(line)) && rs) rs.alive = m[1] !== '0';
  }
  return services;
}
