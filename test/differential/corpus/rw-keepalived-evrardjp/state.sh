for f in /etc/keepalived/keepalived.conf /etc/keepalived/check_lb.sh /etc/default/keepalived /etc/systemd/system/keepalived.service.d/override.conf; do echo "== $f $(stat -c '%a %U' "$f")"; cat "$f"; done
ls -a /etc/keepalived
sysctl net.ipv4.ip_nonlocal_bind net.ipv6.ip_nonlocal_bind net.ipv4.tcp_retries2
grep -E 'nonlocal|retries2' /etc/sysctl.conf
systemctl is-enabled keepalived; systemctl is-active keepalived
