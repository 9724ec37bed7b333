# The firewall file a real server already has, its load balancer port open (ansible-playbook's
# lineinfile in check mode reads the file as it is, lvsdr's as the template before it would leave
# it: the template writes the port line too, so both agree in every phase).
mkdir -p /etc/lvsdr-diff/lamp/sysconfig
printf '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -p tcp  --dport 8888 -j  ACCEPT\nCOMMIT\n' > /etc/lvsdr-diff/lamp/sysconfig/iptables
