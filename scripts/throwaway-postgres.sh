# Sourced by test.sh and bench/with-postgres.sh: starts a throwaway PostgreSQL (initdb into a temp dir, a free
# port on 127.0.0.1) and stops and removes it when the calling script exits.
#   start_throwaway_postgres [server options...]   sets pg_port; e.g. -c fsync=off for tests
#   start_throwaway_replica [server options...]    after it: a streaming replica of it (pg_basebackup -R), a second
#                                                  cluster on another free port; sets replica_port. Give it the
#                                                  primary's max_connections (a standby refuses a lower one)
#   postgres_bin                                   prints the newest server binaries' folder, or fails
postgres_bin() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$bin" ] && [ -x "$bin/initdb" ] && [ -x "$bin/pg_ctl" ] && echo "$bin"
}

start_throwaway_postgres() {
  if ! pg_bin=$(postgres_bin); then
    echo "PostgreSQL server binaries not found: apt-get install -y postgresql" >&2
    exit 2
  fi

  pg_dir=$(mktemp -d /tmp/duban-pg.XXXXXX)
  # initdb refuses to run as root: run the server as the postgres system user then.
  [ "$(id -u)" = 0 ] && chown postgres "$pg_dir"
  trap stop_throwaway_postgres EXIT

  as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
  start_cluster "$pg_dir/data" "$pg_dir/server.log" "$@"
  pg_port=$cluster_port
}

start_throwaway_replica() {
  as_pg "$pg_bin/pg_basebackup" -h 127.0.0.1 -p "$pg_port" -U postgres -D "$pg_dir/replica" -R -X stream --no-sync >/dev/null
  start_cluster "$pg_dir/replica" "$pg_dir/replica.log" -c hot_standby=on "$@"
  replica_port=$cluster_port
}

# Starts the cluster in folder $1 on a free port of 127.0.0.1 (five tries), logging to $2, with the server options
# after them; sets cluster_port.
start_cluster() {
  local data=$1 log=$2 attempt
  shift 2
  for attempt in 1 2 3 4 5; do
    cluster_port=$((20000 + RANDOM % 30000))
    if as_pg "$pg_bin/pg_ctl" -D "$data" -l "$log" -w -t 30 \
         -o "-p $cluster_port -k $pg_dir -c listen_addresses=127.0.0.1 $*" start >/dev/null; then
      return 0
    fi
  done
  echo "PostgreSQL did not start ($data):" >&2
  cat "$log" >&2
  exit 2
}

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

stop_throwaway_postgres() {
  [ ! -d "$pg_dir/replica" ] || as_pg "$pg_bin/pg_ctl" -D "$pg_dir/replica" -m fast -w stop >/dev/null 2>&1 || true
  as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}
