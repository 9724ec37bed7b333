# An older release of the exporter is installed (ansible-playbook's systemd module fails in check
# mode on a unit file that an earlier task would only write).
cat > /etc/systemd/system/lvsdr-diff-node-exporter.service <<'UNIT'
[Unit]
Description=Prometheus Node Exporter (older release)

[Service]
ExecStart=/bin/sleep infinity
UNIT
systemctl daemon-reload
