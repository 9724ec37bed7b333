mkdir -p /etc/lvsdr-diff/hk/haproxy /etc/lvsdr-diff/hk/keepalived
printf 'global\n    log /dev/log local0\n' > /etc/lvsdr-diff/hk/haproxy/haproxy.cfg
