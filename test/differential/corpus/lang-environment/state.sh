cd /etc/lvsdr-diff/env && for f in *.txt; do echo "$f: $(cat "$f")"; done
