iptables-save | grep -v '^#' | sed 's/ \[[0-9]*:[0-9]*\]$//'
for f in /etc/lvsdr-diff/rules.v4 /etc/lvsdr-diff/nat/rules.v4; do echo "== $f"; stat -c '%a %U' "$f" 2>&1; cat "$f" 2>&1; done
