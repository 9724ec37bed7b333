cd /etc/lvsdr-diff/nginx && find . -printf '%M %u %g %p\n' | sort
for f in conf/nginx.conf conf/vhost/server.conf profile; do echo "== $f"; cat "$f"; done
