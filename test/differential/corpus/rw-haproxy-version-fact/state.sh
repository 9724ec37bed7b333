cd /etc/lvsdr-diff/haproxy && find . -printf '%M %u %g %p\n' | sort
for f in $(find . -type f | sort); do echo "== $f"; cat "$f"; done
systemctl is-enabled lvsdr-lab-web; systemctl is-active lvsdr-lab-web
