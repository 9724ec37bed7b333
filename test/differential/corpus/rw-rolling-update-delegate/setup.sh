rm -rf /etc/lvsdr-diff/lb /etc/lvsdr-diff/web && mkdir -p /etc/lvsdr-diff/lb /etc/lvsdr-diff/web
