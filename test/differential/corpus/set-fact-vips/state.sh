cat /etc/lvsdr-diff/setfact/vips.txt
