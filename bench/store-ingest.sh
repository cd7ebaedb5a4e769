#!/usr/bin/env bash
# Webhook ingest rate with the SQLite and the PostgreSQL journal against the in-memory engine, in
# one run on one machine.
#
# Runs IngestBenchServer (src/test/java/io/alerthistory/http): the service's webhook route over the
# delivery engine, whose one target takes connections and never answers, so the figure is intake
# only (parse, validate, plan, journal, answer). It is started four times on a free loopback
# port: with no journal (memory); with a journal that writes nothing but makes each webhook wait
# for another thread, as the real journals do (handoff: the most any such journal can reach);
# with the SQLite journal in a temporary directory; and with the PostgreSQL journal on a server
# from Debian's postgresql package started for the run (BenchPostgres; synchronous_commit on,
# fsync on). Each gets WARMUP seconds of
#   wrk -t2 -c${CONNECTIONS} -s bench/post-json.lua URL -- examples/alerts/firing.json
# and then DURATION measured seconds; the script prints requests/s, p50/p99 and each journal's
# share of the in-memory rate (goal >= 0.5). Any non-2xx answer or socket error fails the run.
#
# Usage: bench/store-ingest.sh            (builds first; BENCH_NO_BUILD=1 skips that)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
select_jdk

WARMUP=${WARMUP:-5}
DURATION=${DURATION:-15}
THREADS=2
CONNECTIONS=${CONNECTIONS:-64}
BODY=examples/alerts/firing.json

build_with_test_classes
CP="target/test-classes:target/classes:$(cat target/cp.txt)"

work=$(mktemp -d)
svc=
pg=
cleanup() {
  stop_pid "$svc"
  stop_pid "$pg"
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

timeout -k 5 900 "$JAVA_HOME/bin/java" -cp "$CP" io.alerthistory.bench.BenchPostgres \
  >"$work/pg.out" 2>"$work/pg.err" &
pg=$!
for i in $(seq 1 300); do
  grep -q '^DATABASE_URL=' "$work/pg.out" 2>/dev/null && break
  kill -0 "$pg" 2>/dev/null || { echo "bench: PostgreSQL did not start" >&2; cat "$work/pg.err" >&2; exit 1; }
  sleep 0.1
done
database_url=$(sed -n 's/^DATABASE_URL=//p' "$work/pg.out")
[ -n "$database_url" ] || { echo "bench: PostgreSQL did not start in 30 s" >&2; exit 1; }

echo "jdk:      $("$JAVA_HOME/bin/java" -version 2>&1 | sed -n 2p)"
echo "machine:  $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "load:     wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s -s bench/post-json.lua URL -- $BODY (after ${WARMUP} s warm-up)"

for mode in memory handoff sqlite postgresql; do
  port=$(free_port)
  if [ "$mode" = postgresql ]; then
    DATABASE_URL=$database_url timeout -k 5 600 "$JAVA_HOME/bin/java" -cp "$CP" \
      io.alerthistory.http.IngestBenchServer "$port" "$mode" >/dev/null 2>"$work/$mode.err" &
  else
    env -u DATABASE_URL timeout -k 5 600 "$JAVA_HOME/bin/java" -cp "$CP" \
      io.alerthistory.http.IngestBenchServer "$port" "$mode" >/dev/null 2>"$work/$mode.err" &
  fi
  svc=$!
  url="http://127.0.0.1:$port/webhook"
  wait_200 "$mode server" "$svc" -H 'Content-Type: application/json' --data-binary "@$BODY" "$url"
  run_wrk "warm-$mode" "$url" "$WARMUP" >/dev/null
  run_wrk "$mode" "$url" "$DURATION" >/dev/null
  printf '%-10s %9.0f req/s  p50 %6.2f ms  p99 %7.2f ms\n' "$mode" \
    "$(field "$mode" rps)" "$(field "$mode" p50_ms)" "$(field "$mode" p99_ms)"
  stop_pid "$svc"
  svc=
done

memory=$(field memory rps)
for mode in handoff sqlite postgresql; do
  awk -v j="$(field "$mode" rps)" -v m="$memory" -v n="$mode" \
    'BEGIN {printf "%-10s at %.2f of the in-memory rate%s\n", n, j / m,
      n == "handoff" ? " (the most a journal that makes webhooks wait can reach)" : " (goal >= 0.50)"}'
done
