getent group lvsadmins >/dev/null || groupadd -g 4500 lvsadmins
getent group lvsops >/dev/null || groupadd -g 4501 lvsops
getent passwd lvsjames >/dev/null || useradd -m -u 4510 -s /bin/sh lvsjames
getent passwd lvsold >/dev/null || useradd -M lvsold
getent passwd lvsnohome >/dev/null || useradd -M -d /home/lvsnohome lvsnohome
