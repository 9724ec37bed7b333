stat -c '%a %U %G' /etc/hosts; cat /etc/hosts
