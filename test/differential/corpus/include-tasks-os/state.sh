cd /etc/lvsdr-diff/include && find . | sort && for f in $(find . -type f | sort); do echo "== $f $(stat -c %a "$f")"; cat "$f"; done
