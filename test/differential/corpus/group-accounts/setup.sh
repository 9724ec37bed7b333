getent group lvsfix >/dev/null || groupadd -g 4399 lvsfix
getent group lvsold >/dev/null || groupadd lvsold
