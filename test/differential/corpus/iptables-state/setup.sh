for t in filter nat; do iptables -w -t "$t" -F; done
iptables -w -P FORWARD ACCEPT
rm -rf /etc/lvsdr-diff && mkdir -p /etc/lvsdr-diff
iptables -w -A INPUT -s 198.18.0.250/32 -p tcp -m tcp --dport 80 -j ACCEPT
iptables -w -A INPUT -p tcp -m tcp --dport 9100 -j DROP
iptables-save -t filter | sed -E 's/^(# (Generated|Completed).*) on .*$/\1/; s/\[[0-9]+:[0-9]+\]/[0:0]/g' > /etc/lvsdr-diff/filter.rules
iptables -w -F
