cd /etc/lvsdr-diff/ftp && ls -a && for f in *; do echo "== $f $(stat -c %a "$f")"; cat "$f"; done
