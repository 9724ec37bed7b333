for g in lvsweb lvsfix lvsold; do getent group "$g" || echo "$g: none"; done
getent group lvsprobe | awk -F: '{ print $1, ($3 < 1000 ? "system" : "user") }'
