stat -c '%a %U %G %F %n' /etc/lvsdr-diff/lvs /etc/lvsdr-diff/lvs/lvs_dr_rs.sh
cat /etc/lvsdr-diff/lvs/lvs_dr_rs.sh
sysctl -n net.ipv4.conf.lo.arp_ignore net.ipv4.conf.lo.arp_announce net.ipv4.conf.all.arp_ignore net.ipv4.conf.all.arp_announce
ip -4 -o addr show dev lo | awk '{print $4}'
