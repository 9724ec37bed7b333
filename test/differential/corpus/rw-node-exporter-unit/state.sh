cd /etc/lvsdr-diff/node_exporter && find . -printf '%M %u %g %p\n' | sort
for f in $(find . -type f | sort) /etc/systemd/system/lvsdr-diff-node-exporter.service; do echo "== $f $(stat -c '%a %U %G' "$f")"; cat "$f"; done
getent group node-exp | awk -F: '{ print $1, ($3 < 1000 ? "system" : "user") }'
systemctl is-enabled lvsdr-diff-node-exporter; systemctl is-active lvsdr-diff-node-exporter
