for t in filter nat; do iptables -w -t "$t" -F; done
iptables -w -P FORWARD ACCEPT
iptables -w -A INPUT -p tcp --dport 22 -j ACCEPT
iptables -w -A INPUT -p tcp --destination-port 9999 -j DROP
