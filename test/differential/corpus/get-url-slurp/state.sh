for f in /etc/lvs-dist-keepalived-vs.conf /opt/lvs-dist/lvs-check /etc/lvs-dist-check.env; do
  if [ -e "$f" ]; then echo "$f $(stat -c '%a %U %G' "$f") $(sha1sum < "$f")"; else echo "$f: none"; fi
done
