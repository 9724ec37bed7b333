cd /etc/lvsdr-diff/meta && for f in *; do echo "$f: $(cat "$f")"; done
