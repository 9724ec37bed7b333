cat /etc/lvs-pause-before 2>/dev/null || echo "marker: none"
