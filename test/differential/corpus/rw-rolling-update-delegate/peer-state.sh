cd /etc/lvsdr-diff && for f in web/* lb/*; do [ -f "$f" ] && echo "$f: $(cat "$f")"; done; true
