cat /run/lvs-backend.status
