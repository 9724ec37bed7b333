mkdir -p /etc/lvsdr-diff/ftp
printf 'listen=YES\nanonymous_enable=NO\n' > /etc/lvsdr-diff/ftp/ftp.conf
