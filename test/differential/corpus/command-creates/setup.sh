mkdir -p /etc/lvsdr-diff/cmd
