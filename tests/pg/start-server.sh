#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster on 127.0.0.1 for the test suite and
# print the DUALRANDOM_TEST_PG_URL to use. Needs Debian's postgresql package
# and root (initdb and pg_ctl run as the postgres user).
#   eval "$(bash tests/pg/start-server.sh)"   # exports DUALRANDOM_TEST_PG_URL
set -euo pipefail
port="${PGPORT_TEST:-54329}"
bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
base=$(mktemp -d /tmp/dualrandom-pg.XXXXXX)
chown postgres:postgres "$base"
runuser -u postgres -- "$bindir/initdb" -D "$base/data" --auth=trust -U postgres \
  --encoding=UTF8 --locale=C.UTF-8 >"$base/initdb.log" 2>&1
runuser -u postgres -- "$bindir/pg_ctl" -D "$base/data" -l "$base/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $base -c fsync=off -c full_page_writes=off" \
  start >/dev/null
runuser -u postgres -- "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres dualrandom_test
echo "export DUALRANDOM_TEST_PG_URL=postgresql+psycopg://postgres@127.0.0.1:$port/dualrandom_test"
echo "export DUALRANDOM_TEST_PG_DIR=$base"
