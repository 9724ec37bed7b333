mkdir -p /etc/lvsdr-diff/include/conf /etc/lvsdr-diff/include/sites && chmod 755 /etc/lvsdr-diff/include /etc/lvsdr-diff/include/conf /etc/lvsdr-diff/include/sites
