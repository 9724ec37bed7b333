#!/usr/bin/python3
"""lvsdr lab: the STAND-IN FOR IPVS on a lab director.

The lab machine's kernel has no IPVS, so keepalived cannot program virtual servers. On a lab
director, keepalived.service runs this program instead (a unit drop-in), and it does what keepalived
plus IPVS would do for `lb_kind DR`:

- reads /etc/keepalived/keepalived.conf (virtual_server IP PORT over TCP or UDP, IPv4 or IPv6,
  real_server IP [PORT], weight, delay_loop, TCP_CHECK / HTTP_GET / UDP_CHECK), after `keepalived
  --config-test` accepts it (a config the real keepalived refuses is refused here too, and the
  previous rules stay). What it does not emulate (fwmark and group services, other checkers, sorry_server,
  quorum, persistence) is listed in the status's errors and not forwarded as if it were;
  inhibit_on_failure is: a failed real server stays listed at weight 0, as keepalived keeps it in
  IPVS;
- puts every virtual_server address and vrrp virtual_ipaddress on eth0 (the director owns the VIPs);
  except on a director of a pair (LVSDR_LAB_VRRP=1 from the unit): there it runs the real keepalived
  for VRRP alone (`keepalived -P`, same config, reloaded with it) and the VIPs are VRRP's to move;
  the rules forward on whichever director the VIP's traffic reaches, the one holding it;
- health-checks real servers every delay_loop seconds;
- forwards as LVS-DR does with an nftables netdev ingress rule set on eth0: same L2, destination IP
  kept, frame sent to the chosen real server's MAC (`fwd ip to RS device DEV`, `fwd ip6 to` for an
  IPv6 service, whose real server's MAC comes from neighbour discovery; DEV the NIC the route to the
  real server takes: eth0, or a two-NIC director's back NIC eth1).

Connection stickiness, as IPVS's connection table gives it (a flow is a TCP connection, or for UDP
the datagrams of one client address and port): a packet of a flow not seen before picks
a real server by jhash of (client address, client port) over the healthy real servers, in ranges
proportional to weight (weight 0 takes no new flows), and is added to that real server's dynamic set
(timeout 300 s, refreshed by traffic). Later packets of the flow match the sets first; a new
connection reusing a client port sticks only to a real server that still takes new ones. A reload
(SIGHUP: `systemctl reload keepalived`) or a health change rewrites the rules in one atomic nft
transaction but keeps the sets, so established flows stay on their real server.

Status, like `ipvsadm -Ln`: /run/lvsdr-lab/lvs-status.json, and `lvsdr-lab-ipvsadm [--json]`.
keepalived's DATA signal (SIGUSR1) writes /tmp/keepalived_check.data as keepalived's checker process
does (the lines of dump_vs and dump_rs a reader of real servers' health needs: `alive`).
"""
import http.client
import ipaddress
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time

CONF = "/etc/keepalived/keepalived.conf"
STATUS_DIR = "/run/lvsdr-lab"
STATUS_FILE = STATUS_DIR + "/lvs-status.json"
IFACE = "eth0"
TABLE = "lvsdr_lvs"
FLOW_TIMEOUT = "300s"
# A director of a pair: VRRP (real keepalived) owns the VIPs; the stand-in only forwards.
VRRP = os.environ.get("LVSDR_LAB_VRRP") == "1"
STOPPING = threading.Event()
VRRP_CMD = ["keepalived", "--dont-fork", "--vrrp", "--log-detail", "-f", CONF,
            "--pid", STATUS_DIR + "/keepalived.pid", "--vrrp_pid", STATUS_DIR + "/vrrp.pid"]


def parse_conf(text):
    """keepalived.conf as a tree of {key, args, children}; statements are line-based."""
    root = {"key": "", "args": [], "children": []}
    stack = [root]
    for raw in text.splitlines():
        line = re.split(r"[#!]", raw, maxsplit=1)[0]
        words = []
        for tok in re.findall(r'"[^"]*"|[{}]|[^\s{}]+', line):
            if tok == "{":
                if words:
                    node = {"key": words[0], "args": words[1:], "children": []}
                    stack[-1]["children"].append(node)
                    words = []
                elif stack[-1]["children"]:
                    node = stack[-1]["children"][-1]
                else:
                    node = {"key": "", "args": [], "children": []}
                stack.append(node)
            elif tok == "}":
                if words:
                    stack[-1]["children"].append({"key": words[0], "args": words[1:], "children": []})
                    words = []
                if len(stack) > 1:
                    stack.pop()
            else:
                words.append(tok.strip('"'))
        if words:
            stack[-1]["children"].append({"key": words[0], "args": words[1:], "children": []})
    return root


def child(node, key):
    return next((c for c in node["children"] if c["key"] == key), None)


def value(node, key, default=None):
    c = child(node, key)
    return c["args"][0] if c and c["args"] else default


def ip_version(text):
    """4 or 6 for an address, None for anything else."""
    try:
        return ipaddress.ip_address(text).version
    except ValueError:
        return None


def canonical(text):
    """An address as the kernel prints it (`ip addr`, nft), so lookups and names agree."""
    return str(ipaddress.ip_address(text))


# What the stand-in forwards: TCP or UDP to an IPv4 or IPv6 VIP and port, checked by TCP_CHECK, HTTP_GET or
# UDP_CHECK. Anything else keepalived.conf may say is reported in the status's errors, never forwarded
# as if it were.
CHECKERS = ("TCP_CHECK", "HTTP_GET")
OTHER_CHECKERS = ("SSL_GET", "MISC_CHECK", "DNS_CHECK", "SMTP_CHECK", "PING_CHECK", "FILE_CHECK", "BFD_CHECK")
NOT_EMULATED = ("sorry_server", "quorum", "hysteresis", "persistence_timeout")
CHECK_DATA = "/tmp/keepalived_check.data"
# An IPv6 VIP as keepalived adds one (preferred_lft 0, its default for a /128): deprecated, so never
# chosen as the source address — a /128 beats the segment's /112 in source address selection, and
# a health check or neighbour solicitation from the VIP would never get its answer from a real
# server that holds the VIP on lo. nodad: answered at once, as an IPv4 VIP.
VIP6_FLAGS = ["nodad", "preferred_lft", "0"]


def virtual_servers(tree):
    """The virtual servers the stand-in forwards, and an error for each thing it does not emulate."""
    out, errors = [], []
    for vs in tree["children"]:
        if vs["key"] != "virtual_server":
            continue
        name = "virtual_server " + " ".join(vs["args"])
        protocol = value(vs, "protocol", "TCP").upper()
        if len(vs["args"]) != 2 or ip_version(vs["args"][0]) is None or protocol not in ("TCP", "UDP"):
            errors.append("%s: the lab stand-in forwards only TCP or UDP to an address and port; not forwarded" % name)
            continue
        version = ip_version(vs["args"][0])
        errors += ["%s: %s is not emulated by the lab stand-in" % (name, k) for k in NOT_EMULATED if child(vs, k)]
        servers = []
        for rs in vs["children"]:
            if rs["key"] != "real_server" or len(rs["args"]) < 1:
                continue
            if ip_version(rs["args"][0]) != version:
                errors.append("%s: real_server %s is not of the service's address family; not forwarded to" % (name, rs["args"][0]))
                continue
            port = int(rs["args"][1]) if len(rs["args"]) > 1 else int(vs["args"][1])
            checks = []
            for c in rs["children"]:
                if c["key"] in OTHER_CHECKERS:
                    # Not run, so not passed: the real server takes no flows rather than pretend to be up.
                    checks.append({"type": c["key"], "unsupported": True})
                    errors.append("%s: real_server %s: %s is not run by the lab stand-in; the real server counts as down" % (name, rs["args"][0], c["key"]))
                elif c["key"] == "UDP_CHECK":
                    checks.append(udp_check(c, port))
                elif c["key"] in CHECKERS:
                    url = child(c, "url") or {"children": []}
                    checks.append({
                        "type": c["key"],
                        "port": int(value(c, "connect_port", port)),
                        "timeout": float(value(c, "connect_timeout", "5")),
                        "path": value(url, "path", "/"),
                        "status": int(value(url, "status_code", "200")),
                    })
            servers.append({"ip": canonical(rs["args"][0]), "port": port,
                            "weight": int(value(rs, "weight", "1")), "checks": checks,
                            "inhibit": bool(child(rs, "inhibit_on_failure") or child(vs, "inhibit_on_failure"))})
        method = value(vs, "lvs_method", value(vs, "lb_kind", "NAT"))
        out.append({"vip": canonical(vs["args"][0]), "port": int(vs["args"][1]), "protocol": protocol,
                    "lb_kind": method, "delay_loop": float(value(vs, "delay_loop", "60")),
                    "real_servers": servers})
    return out, errors


def vrrp_addresses(tree):
    addrs = []
    for inst in tree["children"]:
        if inst["key"] == "vrrp_instance":
            block = child(inst, "virtual_ipaddress")
            for a in (block or {"children": []})["children"]:
                addrs.append(a["key"].split("/")[0])
    return [canonical(a) for a in addrs if ip_version(a)], ["vrrp virtual_ipaddress %s: not an address the lab stand-in can put on %s" % (a, IFACE) for a in addrs if not ip_version(a)]


def udp_check(node, rs_port):
    """keepalived 2.2's UDP_CHECK: the payload is sent; without require_reply a check passes unless an
    ICMP error comes back within connect_timeout, with it a reply (starting with its hex, if given) must.
    Payloads stay hex text here (the status is JSON); they become bytes when sent."""
    reply = child(node, "require_reply")
    return {
        "type": "UDP_CHECK",
        "port": int(value(node, "connect_port", rs_port)),
        "timeout": float(value(node, "connect_timeout", "5")),
        "payload": value(node, "payload", ""),
        "require_reply": None if reply is None else (reply["args"][0] if reply["args"] else ""),
    }


def udp_check_ok(ip, check):
    with socket.socket(socket.AF_INET6 if ip_version(ip) == 6 else socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(check["timeout"])
        s.connect((ip, check["port"]))
        s.send(bytes.fromhex(check["payload"]))
        try:
            answer = s.recv(65535)
        except socket.timeout:
            return check["require_reply"] is None
        return check["require_reply"] is None or answer.startswith(bytes.fromhex(check["require_reply"]))


def check_ok(ip, check):
    if check.get("unsupported"):
        return False
    try:
        if check["type"] == "UDP_CHECK":
            return udp_check_ok(ip, check)
        if check["type"] == "TCP_CHECK":
            with socket.create_connection((ip, check["port"]), timeout=check["timeout"]):
                return True
        # http.client reads a bare IPv6 address's last group as a port: brackets keep it whole
        conn = http.client.HTTPConnection("[%s]" % ip if ip_version(ip) == 6 else ip, check["port"], timeout=check["timeout"])
        try:
            conn.request("GET", check["path"])
            return conn.getresponse().status == check["status"]
        finally:
            conn.close()
    except (OSError, ValueError):
        return False  # ValueError: a payload that is not hex
    except http.client.HTTPException:
        return False


def set_name(vip, port, ip, protocol="TCP"):
    name = "f_" + "_".join([re.sub(r"[.:]", "_", vip), str(port), re.sub(r"[.:]", "_", ip)])
    return name + "_udp" if protocol == "UDP" else name


def health_key(s, rs):
    """A real server's health per virtual service: TCP and UDP on one port are two services."""
    return (s["vip"], s["port"], s["protocol"], rs["ip"], rs["port"])


class StandIn:
    def __init__(self):
        self.lock = threading.Lock()
        self.services = []
        self.health = {}
        self.known_sets = {}
        self.vips = set()
        self.preexisting = set()
        self.errors = []
        self.loaded_at = None
        self.generation = 0

    def load(self):
        """Reads and tests the config; on success, checks health once and programs the rules.
        Returns whether the config was accepted."""
        errors = []
        if not os.path.exists(CONF) or os.path.getsize(CONF) == 0:
            services, vips = [], []
        else:
            test = subprocess.run(["keepalived", "--config-test", "-f", CONF], capture_output=True, text=True)
            if test.returncode != 0:
                with self.lock:
                    self.errors = ["keepalived --config-test refused %s: %s" % (CONF, (test.stderr or test.stdout).strip())]
                    self.write_status()
                return False
            tree = parse_conf(open(CONF).read())
            (services, service_errors), (vips, vip_errors) = virtual_servers(tree), vrrp_addresses(tree)
            errors += service_errors + vip_errors
            errors += ["virtual_server %s %s: lvs_method %s is not DR; forwarding as DR anyway" % (s["vip"], s["port"], s["lb_kind"])
                       for s in services if s["lb_kind"].upper() != "DR"]
        threads = []
        for s in services:
            for rs in s["real_servers"]:
                key = health_key(s, rs)
                if key not in self.health:
                    t = threading.Thread(target=self.check_one, args=(key, rs))
                    t.start()
                    threads.append(t)
        for t in threads:
            t.join()
        with self.lock:
            self.services = services
            self.errors = errors
            self.loaded_at = time.time()
            self.generation += 1
            self.own_vips(set([s["vip"] for s in services] + vips))
            self.program()
        return True

    def check_one(self, key, rs):
        ok = all(check_ok(rs["ip"], c) for c in rs["checks"])
        with self.lock:
            changed = self.health.get(key) != ok
            self.health[key] = ok
        return changed

    def own_vips(self, wanted):
        """Adds the wanted VIPs; removes only those it added itself (the lab's VIP is there from boot).
        On a director of a pair it adds none: VRRP puts them on the master."""
        if VRRP:
            return
        present = subprocess.run(["ip", "-o", "addr", "show", "dev", IFACE], capture_output=True, text=True).stdout
        for vip in wanted - self.vips - self.preexisting:
            if (" %s/" % vip) in present:
                self.preexisting.add(vip)
            elif ip_version(vip) == 6:
                subprocess.run(["ip", "addr", "replace", vip + "/128", "dev", IFACE] + VIP6_FLAGS)
            else:
                subprocess.run(["ip", "addr", "replace", vip + "/32", "dev", IFACE])
        for vip in self.vips - wanted - self.preexisting:
            subprocess.run(["ip", "addr", "del", vip + ("/128" if ip_version(vip) == 6 else "/32"), "dev", IFACE])
        self.vips = wanted

    def live(self, s):
        """The real servers of a virtual service that take new connections: weight above 0, healthy."""
        return [rs for rs in s["real_servers"] if rs["weight"] > 0 and self.health.get(health_key(s, rs))]

    def program(self):
        """One nft transaction: sets are added (kept if present), the chain is rewritten."""
        lines = [
            "add table netdev %s" % TABLE,
            "add chain netdev %s ingress { type filter hook ingress device \"%s\" priority 0; policy accept; }" % (TABLE, IFACE),
        ]
        for s in self.services:
            for rs in s["real_servers"]:
                self.known_sets[set_name(s["vip"], s["port"], rs["ip"], s["protocol"])] = (s["vip"], s["port"], rs["ip"], s["protocol"])
        for name, (vip, _, _, _) in self.known_sets.items():
            lines.append("add set netdev %s %s { type %s . inet_service; flags dynamic,timeout; timeout %s; }"
                         % (TABLE, name, "ipv6_addr" if ip_version(vip) == 6 else "ipv4_addr", FLOW_TIMEOUT))
        lines.append("flush chain netdev %s ingress" % TABLE)
        live_sets = {set_name(s["vip"], s["port"], rs["ip"], s["protocol"]) for s in self.services for rs in self.live(s)}
        # A flow stays on its real server. But a new connection (a bare SYN) that reuses a client port
        # is scheduled again unless its old real server still takes new connections, as IPVS does
        # with conn_reuse_mode: so a drained or removed real server gets no new connection. Live
        # servers' sets come first, so the rescheduled flow's later packets find their new server.
        # UDP has no new-connection mark: its flows stay until they time out, as in IPVS.
        for name, (vip, port, ip, protocol) in sorted(self.known_sets.items(), key=lambda item: item[0] not in live_sets):
            established = "" if name in live_sets or protocol == "UDP" else "tcp flags & (syn | ack) != syn "
            lines.append("add rule netdev %s ingress %s %s%s @%s update @%s { %s } %s"
                         % (TABLE, match(vip, port, protocol), established, flow(vip, protocol), name, name, flow(vip, protocol), fwd(ip)))
        for s in self.services:
            live = self.live(s)
            total = sum(rs["weight"] for rs in live)
            start = 0
            for rs in live:
                name = set_name(s["vip"], s["port"], rs["ip"], s["protocol"])
                # One fixed seed: without it every jhash expression gets its own random seed, and a
                # flow could match no rule's bucket, or two.
                buckets = ", ".join(str(b) for b in range(start, start + rs["weight"]))
                lines.append("add rule netdev %s ingress %s jhash %s mod %d seed 0x4c565344 { %s } add @%s { %s } %s"
                             % (TABLE, match(s["vip"], s["port"], s["protocol"]), flow(s["vip"], s["protocol"]), total, buckets, name, flow(s["vip"], s["protocol"]), fwd(rs["ip"])))
                start += rs["weight"]
        result = subprocess.run(["nft", "-f", "-"], input="\n".join(lines) + "\n", capture_output=True, text=True)
        if result.returncode != 0:
            self.errors.append("nft refused the rule set: " + result.stderr.strip())
        self.write_status()

    def write_status(self):
        status = {
            "daemon": "lvsdr lab stand-in for IPVS (keepalived.service)",
            "config": CONF,
            "loaded_at": self.loaded_at,
            "generation": self.generation,
            "errors": self.errors,
            "vips": sorted(self.vips),
            "virtual_servers": [{
                "vip": s["vip"], "port": s["port"], "protocol": s["protocol"], "lb_kind": s["lb_kind"], "delay_loop": s["delay_loop"],
                "real_servers": [{
                    "ip": rs["ip"], "port": rs["port"], "weight": rs["weight"],
                    "healthy": bool(self.health.get(health_key(s, rs))),
                    "inhibit": rs.get("inhibit", False),
                    "checks": [c["type"] for c in rs["checks"]],
                } for rs in s["real_servers"]],
            } for s in self.services],
        }
        os.makedirs(STATUS_DIR, exist_ok=True)
        tmp = STATUS_FILE + ".tmp"
        with open(tmp, "w") as f:
            json.dump(status, f, indent=2)
        os.replace(tmp, STATUS_FILE)

    def write_check_data(self):
        """keepalived's checker data dump (check_data.c dump_vs / dump_rs), the lines about health."""
        with self.lock:
            lines = ["------< LVS Topology >------", " System is compiled with LVS v1.2.1"]
            for s in self.services:
                lines += [" ------< Virtual server >------", " VS VIP = %s, VPORT = %d" % (s["vip"], s["port"]),
                          "   protocol = %s" % s["protocol"], "   alive = 1"]
                for rs in s["real_servers"]:
                    lines += ["   ------< Real server >------",
                              "   RIP = %s, RPORT = %d, WEIGHT = %d EFF WEIGHT = %d" % (rs["ip"], rs["port"], rs["weight"], rs["weight"]),
                              "   Inhibit on failure is %s" % ("ON" if rs.get("inhibit") else "OFF"),
                              "   alive = %d" % (1 if self.health.get(health_key(s, rs)) else 0)]
        tmp = CHECK_DATA + ".tmp"
        with open(tmp, "w") as f:
            f.write("\n".join(lines) + "\n")
        os.replace(tmp, CHECK_DATA)

    def health_loop(self):
        """Each virtual server's real servers are checked every delay_loop; a change reprograms the rules."""
        due = {}
        while True:
            now = time.time()
            with self.lock:
                services = list(self.services)
            changed = False
            for s in services:
                key_vs = (s["vip"], s["port"], s["protocol"])
                if now < due.get(key_vs, 0):
                    continue
                due[key_vs] = now + s["delay_loop"]
                for rs in s["real_servers"]:
                    if rs["checks"] or health_key(s, rs) not in self.health:
                        changed |= self.check_one(health_key(s, rs), rs)
            if changed:
                with self.lock:
                    self.program()
            time.sleep(0.2)


def route_device(ip):
    """The NIC towards a real server, as IPVS's DR transmit routes it: eth0, or a two-NIC director's
    back NIC (eth1)."""
    out = subprocess.run(["ip", "-o", "route", "get", ip], capture_output=True, text=True).stdout
    m = re.search(r" dev (\S+)", out)
    return m.group(1) if m else IFACE


def fwd(ip):
    """The frame goes to the real server's MAC unchanged (netdev fwd: ARP or neighbour discovery finds it)."""
    return "fwd %s to %s device \"%s\"" % ("ip6" if ip_version(ip) == 6 else "ip", ip, route_device(ip))


def family_word(addr):
    """nft's name of the address's header: ip or ip6."""
    return "ip6" if ip_version(addr) == 6 else "ip"


def match(vip, port, protocol):
    """A virtual service's packets, as IPVS sees them: only what this host would take in itself, a
    frame sent to its own MAC for an address it holds. So a backup of a pair forwards nothing until
    VRRP gives it the VIP, even when the bridge floods it frames meant for a dead master's MAC."""
    return "%s daddr %s %s dport %d meta pkttype host fib daddr type local" % (family_word(vip), vip, protocol.lower(), port)


def flow(vip, protocol):
    """A flow's key: the client's address and port."""
    return "%s saddr . %s sport" % (family_word(vip), protocol.lower())


def endpoint(ip, port):
    """ADDRESS:PORT as ipvsadm prints it: an IPv6 address in brackets."""
    return ("[%s]:%d" if ip_version(ip) == 6 else "%s:%d") % (ip, port)


def flow_counts():
    counts = {}
    r = subprocess.run(["nft", "-j", "list", "sets", "netdev"], capture_output=True, text=True)
    if r.returncode != 0:
        return counts
    for item in json.loads(r.stdout).get("nftables", []):
        s = item.get("set")
        if s and s.get("table") == TABLE:
            counts[s["name"]] = len(s.get("elem", []))
    return counts


def load_status(missing):
    """The running stand-in's status, with each real server's active flows; exits with `missing` if none."""
    try:
        status = json.load(open(STATUS_FILE))
    except OSError:
        sys.exit(missing)
    counts = flow_counts()
    for vs in status["virtual_servers"]:
        for rs in vs["real_servers"]:
            rs["active_flows"] = counts.get(set_name(vs["vip"], vs["port"], rs["ip"], vs.get("protocol", "TCP")), 0)
    return status


def print_status(as_json):
    status = load_status("no status: is keepalived.service (the lab's stand-in for IPVS) running?")
    if as_json:
        print(json.dumps(status, indent=2))
        return
    print("lvsdr lab stand-in for IPVS (no IPVS in this kernel)")
    print("Prot LocalAddress:Port Scheduler Flags")
    print("  -> RemoteAddress:Port           Forward Weight ActiveConn Health")
    for vs in status["virtual_servers"]:
        print("%s  %s jhash" % (vs.get("protocol", "TCP"), endpoint(vs["vip"], vs["port"])))
        for rs in vs["real_servers"]:
            print("  -> %-28s Route   %-6d %-10d %s" % (endpoint(rs["ip"], rs["port"]), rs["weight"], rs["active_flows"],
                                                      "up" if rs["healthy"] else "down"))
    for e in status["errors"]:
        print("error: " + e)


def run():
    standin = StandIn()
    reload_wanted = threading.Event()
    signal.signal(signal.SIGHUP, lambda *_: reload_wanted.set())
    signal.signal(signal.SIGUSR1, lambda *_: threading.Thread(target=standin.write_check_data, daemon=True).start())
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    subprocess.run(["nft", "delete", "table", "netdev", TABLE], capture_output=True)
    vrrp = None
    try:
        standin.load()
        threading.Thread(target=standin.health_loop, daemon=True).start()
        if VRRP:
            vrrp = start_vrrp()
        notify("READY=1")
        while True:
            reload_wanted.wait()
            reload_wanted.clear()
            notify("RELOADING=1")
            # keepalived reloads a config only after the stand-in's --config-test accepted it
            if standin.load() and vrrp:
                vrrp.send_signal(signal.SIGHUP)
            notify("READY=1")
    finally:
        if vrrp:
            # a stopped keepalived sends priority 0: the backup takes over at once
            STOPPING.set()
            vrrp.terminate()
            vrrp.wait(10)
        # as keepalived does when it stops: the virtual servers and the VIPs it added go away
        subprocess.run(["nft", "delete", "table", "netdev", TABLE], capture_output=True)
        with standin.lock:
            standin.own_vips(set())


def start_vrrp():
    """The real keepalived, VRRP alone; if it dies, so does the stand-in (the unit fails, as keepalived's would)."""
    proc = subprocess.Popen(VRRP_CMD)

    def watch():
        proc.wait()
        if not STOPPING.is_set():
            os.kill(os.getpid(), signal.SIGTERM)
    threading.Thread(target=watch, daemon=True).start()
    return proc


def notify(state):
    """sd_notify, so the unit keeps keepalived's Type=notify."""
    path = os.environ.get("NOTIFY_SOCKET")
    if not path:
        return
    if path.startswith("@"):
        path = "\0" + path[1:]
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as s:
        s.sendto(state.encode(), path)


def print_ipvsadm():
    """`ipvsadm -Ln` as the real one prints it: keepalived puts a real server into IPVS only while its
    health check passes, so only healthy real servers are listed — but with inhibit_on_failure it
    keeps a failed one there at weight 0."""
    status = load_status("Can't initialize ipvs: the lab's stand-in for IPVS (keepalived.service) is not running")
    print("IP Virtual Server version 1.2.1 (size=4096)")
    print("Prot LocalAddress:Port Scheduler Flags")
    print("  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn")
    for vs in status["virtual_servers"]:
        print("%s  %s wlc" % (vs.get("protocol", "TCP"), endpoint(vs["vip"], vs["port"])))
        for rs in vs["real_servers"]:
            if rs["healthy"] or rs.get("inhibit"):
                weight = rs["weight"] if rs["healthy"] else 0
                print("  -> %-28s Route   %-6d %-10d %d" % (endpoint(rs["ip"], rs["port"]), weight, rs["active_flows"], 0))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "status":
        print_status("--json" in sys.argv[2:])
    elif len(sys.argv) > 1 and sys.argv[1] == "ipvsadm":
        print_ipvsadm()
    else:
        run()
