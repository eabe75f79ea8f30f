#!/usr/bin/env bash
# Makes sure a PostgreSQL streaming replica of the local primary (127.0.0.1:5432) runs on
# 127.0.0.1:5433 for the read-replica tests (docs/OPERATIONS.md, "Read replica"). Idempotent: a
# replica that is running and streaming is left alone; a stopped one is started; a broken or missing
# one is made again with pg_basebackup -R into /var/tmp/jcm-replica (outside the clone, one for the
# machine: every clone's tests share it, as they share the primary), through the replication slot
# jcm_replica so that it never falls behind irrecoverably. The primary's pg_hba.conf gets one line
# allowing replication connections from 127.0.0.1 when it lacks one (then a reload); nothing else of
# the primary changes. `--remove` stops the replica and drops its slot (the slot keeps WAL on the
# primary while the replica is away). Skipped when JCM_TEST_REPLICA_URL points elsewhere. Exits
# non-zero, saying why, when it cannot.
set -euo pipefail

if [ -n "${JCM_TEST_REPLICA_URL:-}" ]; then exit 0; fi

port="${JCM_REPLICA_PORT:-5433}"
dir="${JCM_REPLICA_DIR:-/var/tmp/jcm-replica}"
slot="${JCM_REPLICA_SLOT:-jcm_replica}"
log="$dir.log"
say() { echo "ensure-replica: $*" >&2; }
fail() {
  say "$*"
  exit 1
}

version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)"
[ -n "$version" ] || fail "no PostgreSQL cluster in /etc/postgresql (run scripts/ensure-postgres.sh first)"
bin="/usr/lib/postgresql/$version/bin"
hba="/etc/postgresql/$version/main/pg_hba.conf"

# The server's files belong to the postgres OS user: run its tools as that user.
as_pg() {
  if [ "$(id -un)" = postgres ]; then "$@"; elif [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else
    fail "need root or the postgres user to run $1"
  fi
}
primary() { psql -X -h 127.0.0.1 -p 5432 -U postgres -d postgres -Atqc "$1"; }
replica() { psql -X -h 127.0.0.1 -p "$port" -U postgres -d postgres -Atqc "$1" 2>/dev/null; }
streaming() { [ "$(replica "SELECT status FROM pg_stat_wal_receiver" || true)" = streaming ]; }

wait_streaming() {
  for _ in $(seq 1 120); do
    if streaming; then return 0; fi
    sleep 0.5
  done
  return 1
}

pg_isready -q -h 127.0.0.1 -p 5432 || fail "the primary does not answer on 127.0.0.1:5432"

mkdir -p "$(dirname "$dir")"
exec 9>"$dir.lock"
flock 9

if [ "${1:-}" = --remove ]; then
  if [ -f "$dir/PG_VERSION" ]; then as_pg "$bin/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true; fi
  primary "SELECT pg_drop_replication_slot('$slot') FROM pg_replication_slots WHERE slot_name = '$slot' AND NOT active" >/dev/null
  rm -rf "$dir"
  say "removed the replica and its slot"
  exit 0
fi

if streaming; then
  # A test that stopped between pausing and resuming replay leaves it paused: resume it.
  if [ "$(replica 'SELECT pg_is_wal_replay_paused()')" = t ]; then
    say "resuming the replica's paused replay"
    replica 'SELECT pg_wal_replay_resume()' >/dev/null
  fi
  exit 0
fi

# What streaming replication needs of the primary: WAL for replicas, WAL senders and slots (each needs
# a restart to change, so they are only checked), and a pg_hba.conf line for replication connections.
wal_level="$(primary 'SHOW wal_level')"
[ "$wal_level" = replica ] || [ "$wal_level" = logical ] ||
  fail "the primary's wal_level is $wal_level; streaming replication needs replica (restart needed)"
[ "$(primary 'SHOW max_wal_senders')" -gt 0 ] || fail "the primary's max_wal_senders is 0"
[ "$(primary 'SHOW max_replication_slots')" -gt 0 ] || fail "the primary's max_replication_slots is 0"
can_replicate() {
  psql -X "host=127.0.0.1 port=5432 user=postgres replication=true" -Atqc IDENTIFY_SYSTEM >/dev/null 2>&1
}
if ! can_replicate; then
  [ -w "$hba" ] || fail "replication connections from 127.0.0.1 are refused and $hba is not writable"
  say "allowing replication connections from 127.0.0.1 in $hba (and reloading)"
  printf '\n# Streaming replica for jcm (scripts/ensure-replica.sh)\nhost    replication     all             127.0.0.1/32            trust\n' >>"$hba"
  primary 'SELECT pg_reload_conf()' >/dev/null
  for _ in $(seq 1 20); do
    if can_replicate; then break; fi
    sleep 0.25
  done
  can_replicate || fail "replication connections are still refused after the reload of $hba"
fi

# A replica that is only stopped is started again first.
if [ -f "$dir/standby.signal" ] && ! as_pg "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
  say "starting the stopped replica in $dir"
  if as_pg "$bin/pg_ctl" -D "$dir" -l "$log" -w -t 60 start >/dev/null 9>&- && wait_streaming; then exit 0; fi
fi

say "making the replica again: pg_basebackup of 127.0.0.1:5432 into $dir, port $port"
if [ -f "$dir/PG_VERSION" ]; then as_pg "$bin/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true; fi
rm -rf "$dir"
primary "SELECT pg_drop_replication_slot('$slot') FROM pg_replication_slots WHERE slot_name = '$slot' AND NOT active" >/dev/null
install -d -o postgres -g postgres -m 700 "$dir"
touch "$log" && chown postgres:postgres "$log"
as_pg "$bin/pg_basebackup" -h 127.0.0.1 -p 5432 -U postgres -D "$dir" -R -X stream -C -S "$slot" -c fast
# Debian keeps the configuration in /etc, so the copy has none: the replica's own, with the settings
# a hot standby must have at least as high as its primary's.
setting() { primary "SHOW $1"; }
as_pg tee "$dir/postgresql.conf" >/dev/null <<EOF
# jcm read replica (scripts/ensure-replica.sh)
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
hot_standby = on
max_connections = $(setting max_connections)
max_worker_processes = $(setting max_worker_processes)
max_wal_senders = $(setting max_wal_senders)
max_prepared_transactions = $(setting max_prepared_transactions)
max_locks_per_transaction = $(setting max_locks_per_transaction)
shared_buffers = 64MB
EOF
as_pg tee "$dir/pg_hba.conf" >/dev/null <<EOF
local all all trust
host all all 127.0.0.1/32 trust
EOF
as_pg touch "$dir/pg_ident.conf"
as_pg "$bin/pg_ctl" -D "$dir" -l "$log" -w -t 60 start >/dev/null 9>&- ||
  fail "the replica did not start; see $log"
wait_streaming || fail "the replica started but does not stream from the primary; see $log"
say "the replica streams on 127.0.0.1:$port"
