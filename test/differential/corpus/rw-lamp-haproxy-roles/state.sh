cd /etc/lvsdr-diff/lamp && find . -printf '%M %u %g %p\n' | sort
for f in $(find . -type f | sort); do echo "== $f"; cat "$f"; done
