# Without `forward:`: ansible-playbook's offline write (firewalld's Python API with firewalld
# stopped) drops each zone's <forward/> as it rewrites the zone; firewall-offline-cmd keeps it.
for z in public trusted dmz internal; do firewall-offline-cmd --zone="$z" --list-all 2>&1 | grep -v '^  forward:'; done
