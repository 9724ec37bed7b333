printf 'vip=198.18.0.100\n' > /etc/lvs-fetch.conf
