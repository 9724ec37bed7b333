stat -c '%a %U %n' /etc/lvsdr-diff/keepalived/keepalived.conf && cat /etc/lvsdr-diff/keepalived/keepalived.conf
