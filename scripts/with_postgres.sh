#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL on a free loopback port.
# The cluster lives in a temp directory and is torn down on exit, also on failure.
# initdb/pg_ctl refuse to run as root, so as root they run as the `postgres` user.
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: scripts/with_postgres.sh COMMAND [ARGS...]" >&2
  exit 2
fi

PG_BIN="${PG_BIN:-}"
if [ -z "$PG_BIN" ]; then
  for candidate in /usr/lib/postgresql/*/bin; do
    [ -x "$candidate/initdb" ] && PG_BIN="$candidate"
  done
fi
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
  echo "PostgreSQL server binaries not found: install postgresql (Debian) or set PG_BIN" >&2
  exit 2
fi

as_pg() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

workdir="$(mktemp -d /tmp/warehouse-pg.XXXXXX)"
chmod 755 "$workdir"
[ "$(id -u)" = "0" ] && chown postgres "$workdir"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"

cleanup() {
  as_pg "$PG_BIN/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap cleanup EXIT INT TERM

as_pg "$PG_BIN/initdb" -D "$workdir/data" -U postgres --auth=trust -E UTF8 --no-sync >/dev/null
as_pg "$PG_BIN/pg_ctl" -D "$workdir/data" -l "$workdir/server.log" -w \
  -o "-h 127.0.0.1 -p $port -k $workdir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null
as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres warehouse

export WAREHOUSE_PG_HOST=127.0.0.1 WAREHOUSE_PG_PORT="$port" WAREHOUSE_PG_USER=postgres \
  WAREHOUSE_PG_PASSWORD="" WAREHOUSE_PG_DATABASE=warehouse
echo "throwaway PostgreSQL on 127.0.0.1:$port (data in $workdir)" >&2
set +e
"$@"
status=$?
set -e
exit "$status"
