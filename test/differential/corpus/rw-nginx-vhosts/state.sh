cd /etc/lvsdr-diff/nginx-role && find . -printf '%M %u %g %p\n' | sort
for f in $(find . -type f | sort); do echo "== $f"; cat "$f"; done
