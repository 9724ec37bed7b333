# Archives on the host with fixed times, so both hosts unpack the same tree.
if [ ! -e /srv/lvs-dist/lvs-checks.tar.gz ]; then
  t=$(mktemp -d) && mkdir -p "$t/checks" /srv/lvs-dist /opt/lvs-checks /opt/lvs-vips
  printf '#!/bin/sh\nexec curl -fsS http://127.0.0.1/\n' > "$t/checks/http.sh" && chmod 755 "$t/checks/http.sh"
  printf 'vip=198.18.0.100\n' > "$t/vips.conf"
  touch -d '2026-01-01 00:00:00' "$t/checks/http.sh" "$t/vips.conf" "$t/checks"
  tar -C "$t" --owner=0 --group=0 -czf /srv/lvs-dist/lvs-checks.tar.gz checks vips.conf
  tar -C "$t" --owner=0 --group=0 -cJf /srv/lvs-dist/lvs-vips.tar.xz vips.conf
  rm -rf "$t"
fi
