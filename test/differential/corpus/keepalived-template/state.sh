stat -c '%a %U %G %n' /etc/lvsdr-diff/keepalived-tpl/keepalived.conf && cat /etc/lvsdr-diff/keepalived-tpl/keepalived.conf
