cd /etc/lvsdr-diff && for f in network-scripts/* rc.local /etc/sysctl.d/90-lvs-rs.conf; do echo "== $f $(stat -c %a "$f")"; cat "$f"; done
sysctl net.ipv4.conf.lo.arp_ignore net.ipv4.conf.lo.arp_announce net.ipv4.conf.all.arp_ignore net.ipv4.conf.all.arp_announce
ip -4 -o addr show dev lo | grep -oE 'inet 198\.19\.255\.20[12]/32 .* lo:[0-9]+'
