#!/usr/bin/env bash
# A PostgreSQL server from Debian's packages, started in a temporary folder, takes two shards of a
# batch writing into it at the same time (--db); its rows must equal the SQLite corpus of a
# single-process run.
# Usage: tests/cluster/postgres_test.sh TALLY [COPIES=10]   (run from the source root)
set -euo pipefail
tally=$(realpath "$1")
copies=${2:-10}
source tests/cluster/common.sh
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[[ -n $bin && -x $bin/initdb && -x $bin/pg_ctl && -x $bin/postgres ]] ||
  skip "PostgreSQL's server is not installed (scripts/setup.sh installs postgresql)"
command -v psql >/dev/null || skip "psql is not installed (postgresql-client)"
command -v sqlite3 >/dev/null || skip "sqlite3 is not installed"

work=$(mktemp -d /tmp/tally-postgres.XXXXXX)
chmod 755 "$work"
# PostgreSQL refuses to run as root: the server runs as nobody when we are root.
as_server=()
if [[ $(id -u) == 0 ]]; then
  as_server=(runuser -u nobody --)
  mkdir -p "$work/pg" "$work/socket" "$work/log"
  chown nobody "$work/pg" "$work/socket" "$work/log"
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$work/log"
cleanup() {
  "${as_server[@]}" "$bin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
  [[ ${KEEP:-0} == 1 ]] || rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAILED: $*"
  tail -20 "$work/log/server.log" 2>/dev/null || true
  exit 1
}
# C collation: rows sort byte-wise, as in SQLite.
"${as_server[@]}" "$bin/initdb" -D "$work/pg" -A trust -U tally --locale=C -E UTF8 >"$work/initdb.log" 2>&1 ||
  fail "initdb failed: $(tail -5 "$work/initdb.log")"
"${as_server[@]}" "$bin/pg_ctl" -D "$work/pg" -l "$work/log/server.log" -w \
  -o "-k $work/socket -p $port -c listen_addresses=''" start >/dev/null || fail "the server did not start"
psql -h "$work/socket" -p "$port" -U tally -d postgres -qc "CREATE DATABASE corpus" || fail "cannot create the database"
url="postgresql://tally@/corpus?host=$work/socket&port=$port"
echo "postgres: $("$bin/postgres" --version) in $work"

make_corpus "$work/in" "$copies"
echo "corpus: $(find "$work/in" -name '*.pdf' | wc -l) PDFs"
batch_ran "$tally" batch "$work/in" -o "$work/single" --format sqlite -j 2 --resume -q || fail "the single-process run failed"
sqlite_rows "$work/single/tally.sqlite" >"$work/sqlite.rows"

# Two shards at once into one database (and a third run of shard 0 again: replaces, never doubles).
start=$SECONDS
batch_ran "$tally" batch "$work/in" -o "$work/out" --shard 0/2 --db "$url" --format json --resume -q &
first=$!
batch_ran "$tally" batch "$work/in" -o "$work/out" --shard 1/2 --db "$url" --format json --resume -q &
second=$!
wait $first || fail "shard 0 failed"
wait $second || fail "shard 1 failed"
echo "two shards into PostgreSQL at once: $((SECONDS - start)) s"
batch_ran "$tally" batch "$work/in" -o "$work/again" --shard 0/2 --db "$url" --format json --resume -q || fail "shard 0 again failed"

psql -h "$work/socket" -p "$port" -U tally -d corpus -At -F '|' -f tests/cluster/corpus_rows.sql >"$work/postgres.rows" ||
  fail "the rows query failed in PostgreSQL"
diff -q "$work/sqlite.rows" "$work/postgres.rows" >/dev/null || {
  diff "$work/sqlite.rows" "$work/postgres.rows" | head -20
  fail "PostgreSQL's rows differ from the SQLite corpus"
}
echo "postgres: $(wc -l <"$work/postgres.rows") rows, equal to the SQLite corpus"
echo "PASSED"
