#!/usr/bin/env bash
# Makes sure the local PostgreSQL server the integration suites use is running: starts the installed
# cluster when it is stopped, installs PostgreSQL from Debian's packages when it is missing. Skipped
# when JCM_TEST_PG_URL points elsewhere. Exits non-zero, saying why, when it cannot.
set -euo pipefail

if [ -n "${JCM_TEST_PG_URL:-}" ]; then exit 0; fi

ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }

if command -v pg_isready >/dev/null && ready; then exit 0; fi

if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
  echo "ensure-postgres: PostgreSQL is not installed; installing it from Debian's packages" >&2
  if [ "$(id -u)" -ne 0 ]; then echo "ensure-postgres: need root to apt-get install postgresql" >&2; exit 1; fi
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-contrib >/dev/null
  version="$(ls /etc/postgresql | sort -V | tail -1)"
  # Trust local TCP connections, as the tests and CI expect (127.0.0.1:5432, user postgres).
  hba="/etc/postgresql/$version/main/pg_hba.conf"
  sed -i -E 's/^(host\s+all\s+all\s+127\.0\.0\.1\/32\s+)\S+/\1trust/; s/^(host\s+all\s+all\s+::1\/128\s+)\S+/\1trust/' "$hba"
fi

version="$(ls /etc/postgresql | sort -V | tail -1)"
echo "ensure-postgres: starting PostgreSQL $version" >&2
pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
for _ in $(seq 1 60); do
  if ready; then exit 0; fi
  sleep 0.5
done
echo "ensure-postgres: PostgreSQL did not become ready on 127.0.0.1:5432" >&2
exit 1
