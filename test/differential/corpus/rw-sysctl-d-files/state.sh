for f in /etc/sysctl.d/60-lvs-rs.conf /etc/sysctl.d/70-ports.conf; do echo "== $f $(stat -c %a "$f")"; cat "$f"; done
sysctl net.ipv4.conf.all.arp_ignore net.ipv4.conf.all.arp_announce net.ipv4.conf.lo.arp_ignore net.ipv4.conf.lo.arp_announce net.ipv4.ip_local_port_range net.ipv4.tcp_fin_timeout
