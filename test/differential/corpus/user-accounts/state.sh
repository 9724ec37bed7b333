for u in lvsscript lvsop lvsjames lvsnohome lvsold; do getent passwd "$u" | cut -d: -f1,3,5-7 || echo "$u: none"; done
getent passwd lvsscript | awk -F: '{ print $1, ($3 < 1000 ? "system" : "user") }'
for u in lvsop lvsjames; do echo "$u: $(id -nG "$u" | tr ' ' '\n' | sort | tr '\n' ' ')"; done
for d in /home/lvsop /home/lvsjames /home/lvsnohome /home/lvsscript; do [ -d "$d" ] && echo "$d $(stat -c '%U %G %a' "$d") $(ls -A "$d" | sort | tr '\n' ' ')" || echo "$d: none"; done
