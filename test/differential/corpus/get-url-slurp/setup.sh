mkdir -p /srv/lvs-dist /opt/lvs-dist
printf 'virtual_server 198.18.0.100 80 {}\n' > /srv/lvs-dist/keepalived-vs.conf
printf 'check_script=/usr/local/bin/lvs-check\n' > /srv/lvs-dist/check.env
printf '#!/bin/sh\nexit 0\n' > /srv/lvs-dist/lvs-check
[ -e /etc/lvs-dist-check.env ] || printf 'stale\n' > /etc/lvs-dist-check.env
