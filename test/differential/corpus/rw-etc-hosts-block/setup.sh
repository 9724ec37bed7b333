grep -q 'OLD CLUSTER' /etc/hosts || printf '# BEGIN OLD CLUSTER\n198.19.0.9 old-node\n# END OLD CLUSTER\n' >> /etc/hosts
