mkdir -p /etc/lvsdr-diff/nginx-role/sites-enabled
echo 'server { listen 80 default_server; }' > /etc/lvsdr-diff/nginx-role/sites-enabled/default
echo '# legacy' > /etc/lvsdr-diff/nginx-role/sites-enabled/vhosts.conf
echo 'server { server_name old.example.test; }' > /etc/lvsdr-diff/nginx-role/sites-enabled/old.example.test.conf
