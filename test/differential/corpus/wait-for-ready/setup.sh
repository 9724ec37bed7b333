printf 'starting\nstate=ready\n' > /run/lvs-backend.status
rm -f /run/lvs-maintenance
