find /opt/lvs-checks /opt/lvs-vips -mindepth 1 | sort | while read -r f; do echo "$f $(stat -c '%a %U %Y' "$f")"; done
