iptables-save | grep -v '^#' | sed 's/ \[[0-9]*:[0-9]*\]$//'
