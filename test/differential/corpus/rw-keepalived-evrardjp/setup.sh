# ansible-playbook's apt module needs python3-apt on the host (from the lab's own repository).
dpkg -s python3-apt >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-apt >/dev/null
