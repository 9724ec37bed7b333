for g in lvsops lvsaudit lvsformer; do getent group "$g" | cut -d: -f1,4 || echo "$g: none"; done
for g in lvsalice lvsbob; do getent group "$g" || echo "$g: none"; done
