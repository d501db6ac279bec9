#!/usr/bin/env bash
# Starts Debian's PgBouncer in transaction mode with a small pool in front of the machine's
# PostgreSQL, for CI (.ci/run) and for developers. Installs the package when missing.
#
#   scripts/ci/start-pgbouncer.sh            # prints PGBOUNCER_URL=... and PGBOUNCER_PID=...
#   eval "$(scripts/ci/start-pgbouncer.sh)"  # then DATABASE_URL="$PGBOUNCER_URL" npm test
#
# Environment: UPSTREAM_PG_HOST/PORT (default 127.0.0.1:5432), PGBOUNCER_PORT (default the
# first free port from 6432), PGBOUNCER_POOL_SIZE (default 10), PGBOUNCER_DATABASE (default
# test, only for the printed URL). Stop it with: kill "$PGBOUNCER_PID".
set -euo pipefail

log() { echo "[start-pgbouncer] $*" >&2; }

if ! command -v pgbouncer >/dev/null 2>&1 && [ ! -x /usr/sbin/pgbouncer ]; then
  log "installing Debian's pgbouncer"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer >/dev/null) >&2
fi
PGBOUNCER_BIN="$(command -v pgbouncer || echo /usr/sbin/pgbouncer)"

PG_HOST="${UPSTREAM_PG_HOST:-127.0.0.1}"
PG_PORT="${UPSTREAM_PG_PORT:-5432}"
POOL_SIZE="${PGBOUNCER_POOL_SIZE:-10}"
DATABASE="${PGBOUNCER_DATABASE:-test}"

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
PORT="${PGBOUNCER_PORT:-}"
if [ -z "$PORT" ]; then
  for candidate in $(seq 6432 6532); do
    if port_free "$candidate"; then PORT="$candidate"; break; fi
  done
fi
[ -n "$PORT" ] || { log "no free port in 6432..6532"; exit 1; }

DIR="$(mktemp -d /tmp/upstream-pgbouncer.XXXXXX)"
cat >"$DIR/userlist.txt" <<USERS
"postgres" ""
USERS
cat >"$DIR/pgbouncer.ini" <<INI
[databases]
* = host=$PG_HOST port=$PG_PORT

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PORT
unix_socket_dir =
auth_type = trust
auth_file = $DIR/userlist.txt
pool_mode = transaction
default_pool_size = $POOL_SIZE
min_pool_size = 0
reserve_pool_size = 0
max_client_conn = 4000
max_db_connections = 0
server_lifetime = 3600
server_idle_timeout = 60
query_wait_timeout = 120
ignore_startup_parameters = extra_float_digits,options
logfile = $DIR/pgbouncer.log
pidfile = $DIR/pgbouncer.pid
admin_users = postgres
stats_users = postgres
INI

# PgBouncer refuses to run as root: run it as the postgres user (or nobody) then.
RUN_AS=()
if [ "$(id -u)" = 0 ]; then
  user="postgres"; id "$user" >/dev/null 2>&1 || user="nobody"
  chown -R "$user" "$DIR"
  RUN_AS=(-u "$user")
fi
"$PGBOUNCER_BIN" -d "${RUN_AS[@]}" "$DIR/pgbouncer.ini" >&2

for _ in $(seq 1 50); do
  [ -s "$DIR/pgbouncer.pid" ] && ! port_free "$PORT" && break
  sleep 0.1
done
if [ ! -s "$DIR/pgbouncer.pid" ] || port_free "$PORT"; then
  log "pgbouncer did not start; its log:"; cat "$DIR/pgbouncer.log" >&2 || true
  exit 1
fi
log "pgbouncer $("$PGBOUNCER_BIN" --version | head -1 | awk '{print $2}') on 127.0.0.1:$PORT, transaction mode, pool $POOL_SIZE, in front of $PG_HOST:$PG_PORT (config and log in $DIR)"
echo "PGBOUNCER_URL=postgres://postgres@127.0.0.1:$PORT/$DATABASE"
echo "PGBOUNCER_PID=$(cat "$DIR/pgbouncer.pid")"
echo "PGBOUNCER_DIR=$DIR"
