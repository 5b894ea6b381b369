# Source this (bash): start a throwaway PostgreSQL server on 127.0.0.1 for the tests and export
# PARLEY_TEST_PG_URL. Needs Debian's `postgresql` package (.ci/run installs it). The cluster lives in
# a temporary directory, trusts local connections and runs without fsync: it is for tests only.
# initdb refuses to run as root, so as root the server runs as the `postgres` user the package made.
# `parley_pg_stop` stops it and removes the directory (.ci/run calls it on exit).

parley_pg_start() {
  local bin port dir as=()
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$bin" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; return 1; }
  port=${PARLEY_TEST_PG_PORT:-55432}
  while (: >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done  # taken: next one
  dir=$(mktemp -d "${TMPDIR:-/tmp}/parley-pg.XXXXXX")
  PARLEY_PG_DIR=$dir PARLEY_PG_BIN=$bin
  if [ "$(id -u)" = 0 ]; then
    chown postgres: "$dir"
    as=(runuser -u postgres --)
  fi
  PARLEY_PG_AS="${as[*]}"
  "${as[@]}" "$bin/initdb" -D "$dir/data" -U parley --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
    --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; return 1; }
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    >/dev/null || { cat "$dir/server.log" >&2; return 1; }
  "$bin/createdb" -h 127.0.0.1 -p "$port" -U parley parley_test
  export PARLEY_TEST_PG_URL="postgresql://parley@127.0.0.1:$port/parley_test"
  echo "PostgreSQL for the tests: $PARLEY_TEST_PG_URL ($("$bin/postgres" --version))" >&2
}

parley_pg_stop() {
  [ -n "${PARLEY_PG_DIR:-}" ] || return 0
  $PARLEY_PG_AS "$PARLEY_PG_BIN/pg_ctl" -D "$PARLEY_PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PARLEY_PG_DIR"
  PARLEY_PG_DIR=
}
