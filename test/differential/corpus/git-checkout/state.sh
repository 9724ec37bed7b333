for d in release next head; do
  if [ -d "/opt/lvs-config/$d/.git" ]; then echo "$d $(git -C "/opt/lvs-config/$d" rev-parse HEAD) $(git -C "/opt/lvs-config/$d" rev-parse --abbrev-ref HEAD) $(git -C "/opt/lvs-config/$d" config --get remote.origin.url)"; cat "/opt/lvs-config/$d/vips.conf"; else echo "$d: none"; fi
done
