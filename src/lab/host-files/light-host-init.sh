#!/bin/sh
# Becomes a light lab host. Runs inside the host's network namespace and fresh mount and UTS
# namespaces (`ip netns exec NS unshare -m -u --propagation private`), then execs sshd.
# Arguments: MARKER ETC_UPPER ETC_WORK HOSTNAME ADDRESS/PREFIX ROUTES, ROUTES being "TO VIA TO VIA…"
# (a routed lab's way through its router; empty in a flat lab). Every mount is tagged with MARKER.
set -eu
marker=$1 upper=$2 work=$3 name=$4 address=$5
# split on purpose: addresses and prefixes have no spaces or glob characters
set -- $6
ip link set dev lo up
ip addr replace "$address" dev eth0
ip link set dev eth0 up
while [ $# -ge 2 ]; do
  ip route replace "$1" via "$2" dev eth0
  shift 2
done
mount -t overlay "$marker" -o "lowerdir=/etc,upperdir=$upper,workdir=$work" /etc
mount -t tmpfs "$marker" /run
mount -t tmpfs "$marker" /tmp
# Its own /root: the machine's root .bashrc may run slow tools on every SSH command.
mount -t tmpfs "$marker" /root
printf '# lvsdr lab host: a plain root shell\n' > /root/.bashrc
mkdir -p /run/sshd
hostname "$name"
if [ -f /etc/lvsdr-lab/lab-web.py ]; then
  # -S: no site-packages; a .pth there (certifi) costs more CPU than the whole server
  python3 -S /etc/lvsdr-lab/lab-web.py "$marker" </dev/null &
fi
if [ -f /etc/lvsdr-lab/lab-udp.py ]; then
  python3 -S /etc/lvsdr-lab/lab-udp.py "$marker" </dev/null &
fi
# The marker in their argv lets `lab down` find these even if the namespace lost its name.
exec /usr/sbin/sshd -D -e -o "PidFile=/run/$marker.pid"
