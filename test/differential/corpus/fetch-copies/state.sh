cat /etc/lvs-fetch.conf
