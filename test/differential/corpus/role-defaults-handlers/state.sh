cd /etc/lvsdr-diff/lb && find . | sort && for f in $(find . -type f | sort); do echo "== $f $(stat -c %a "$f")"; cat "$f"; done
