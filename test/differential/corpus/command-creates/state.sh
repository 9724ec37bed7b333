cd /etc/lvsdr-diff/cmd && ls -a && for f in *; do echo "== $f"; cat "$f"; done
