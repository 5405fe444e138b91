# Starts a throw-away PostgreSQL server on 127.0.0.1:${PG_TEST_PORT:-54329} for the tests, from
# Debian's packages, and exports AFTERCARE_TEST_PG_URL. Source it, then call start_postgres.
# PG_TEST_PORT lets two checkouts run their suites side by side.
start_postgres() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$bin" ]; then echo "PostgreSQL is not installed (apt-get install postgresql)"; return 1; fi
  PG_TEST_DIR=$(mktemp -d /tmp/aftercare-pg.XXXXXX)
  chown postgres:postgres "$PG_TEST_DIR"
  su postgres -s /bin/sh -c "$bin/initdb -D $PG_TEST_DIR/data -A trust -U postgres -E UTF8 --locale=C.UTF-8" >/dev/null
  su postgres -s /bin/sh -c "$bin/pg_ctl -D $PG_TEST_DIR/data -l $PG_TEST_DIR/log -w -o \"-p ${PG_TEST_PORT:-54329} -k $PG_TEST_DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off\" start" >/dev/null
  export PG_TEST_BIN="$bin"
  export AFTERCARE_TEST_PG_URL="postgres://postgres@127.0.0.1:${PG_TEST_PORT:-54329}/postgres"
  echo "PostgreSQL $($bin/postgres --version | awk '{print $3}') on $AFTERCARE_TEST_PG_URL"
}

stop_postgres() {
  if [ -n "${PG_TEST_DIR:-}" ]; then
    su postgres -s /bin/sh -c "$PG_TEST_BIN/pg_ctl -D $PG_TEST_DIR/data -m fast stop" >/dev/null 2>&1 || true
    rm -rf "$PG_TEST_DIR"
  fi
}
