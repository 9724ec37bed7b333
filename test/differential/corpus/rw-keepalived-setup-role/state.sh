stat -c '%a %U %G %n' /etc/keepalived/keepalived.conf && cat /etc/keepalived/keepalived.conf
systemctl is-enabled keepalived; systemctl is-active keepalived
