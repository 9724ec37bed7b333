# A bare repository on the host, with fixed authors and dates so both hosts have the same commits.
if [ ! -d /srv/lvs-git/lvs-config.git ]; then
  export GIT_AUTHOR_NAME=lab GIT_AUTHOR_EMAIL=lab@lvsdr GIT_COMMITTER_NAME=lab GIT_COMMITTER_EMAIL=lab@lvsdr
  export GIT_AUTHOR_DATE='2026-01-01T00:00:00Z' GIT_COMMITTER_DATE='2026-01-01T00:00:00Z'
  mkdir -p /srv/lvs-git && git init -q --bare -b main /srv/lvs-git/lvs-config.git
  w=$(mktemp -d) && git clone -q /srv/lvs-git/lvs-config.git "$w/c" 2>/dev/null && cd "$w/c"
  printf 'vip=198.18.0.100\n' > vips.conf && git add vips.conf && git commit -q -m one && git tag -a v1 -m 'release 1'
  printf 'vip=198.18.0.100\nvip=198.18.0.101\n' > vips.conf && git commit -q -am two
  git checkout -q -b next && printf 'vip=198.18.0.102\n' >> vips.conf && git commit -q -am three
  git push -q origin main next --tags && cd / && rm -rf "$w"
fi
