getent group lvsformer >/dev/null || groupadd lvsformer
