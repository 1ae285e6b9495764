# Sourced by scripts/test (and the benchmarks): starts a throwaway PostgreSQL 15 server on a free loopback
# port, in a fresh data folder, as the `postgres` user (initdb refuses root), with trust authentication
# on loopback only. Installs Debian's postgresql-15 when it is missing.
#
#   start_postgres [FSYNC]   FSYNC is off (the default, for tests) or on (for benchmarks). Sets
#                            CHATOPS_POSTGRES_URL (postgres://postgres@127.0.0.1:PORT/postgres),
#                            CHATOPS_POSTGRES_DATA and CHATOPS_POSTGRES_CTL (for tests that stop and
#                            start the server), and postgres_dir; stop_postgres stops it and removes it.
postgres_bin=/usr/lib/postgresql/15/bin

start_postgres() {
  local fsync=${1:-off} port
  [ -x "$postgres_bin/initdb" ] || { apt-get update -qq && apt-get install -y -qq --no-install-recommends postgresql-15 >/dev/null; }
  postgres_dir=$(mktemp -d /tmp/chatops-postgres.XXXXXX)
  chmod 755 "$postgres_dir"
  chown postgres: "$postgres_dir"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  su postgres -s /bin/sh -c "$postgres_bin/initdb -D $postgres_dir/data -A trust -U postgres --no-sync" >"$postgres_dir/initdb.log" 2>&1 || {
    echo "initdb failed:" >&2; cat "$postgres_dir/initdb.log" >&2; return 1; }
  su postgres -s /bin/sh -c "$postgres_bin/pg_ctl -D $postgres_dir/data -l $postgres_dir/server.log -w \
    -o '-p $port -k $postgres_dir -c listen_addresses=127.0.0.1 -c fsync=$fsync -c max_connections=300' start" >/dev/null || {
    echo "PostgreSQL did not start:" >&2; cat "$postgres_dir/server.log" >&2; return 1; }
  export CHATOPS_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
  export CHATOPS_POSTGRES_DATA="$postgres_dir/data"
  export CHATOPS_POSTGRES_CTL="$postgres_bin/pg_ctl"
}

stop_postgres() {
  [ -n "${postgres_dir:-}" ] || return 0
  su postgres -s /bin/sh -c "$postgres_bin/pg_ctl -D $postgres_dir/data -m immediate stop" >/dev/null 2>&1 || true
  rm -rf "$postgres_dir"
}
