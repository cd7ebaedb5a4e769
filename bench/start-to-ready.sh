#!/usr/bin/env bash
# Start-to-ready time and idle RSS of the service jar.
#
# Runs `java -jar target/alert-history.jar` with no JVM flags (the documented default; JAVA_OPTS
# is not used), TARGETS_DIR=examples/targets and a temporary DATA_DIR on a free loopback port, RUNS
# times (default 5). The runs share DATA_DIR: the first creates the SQLite schema with Flyway, the
# others are restarts on a current schema.
# For each run: time from just before the JVM is launched to the first 200 from /readyz, then
# VmRSS after IDLE_SECONDS (default 5) of idling. Prints every run and the medians.
#
# /readyz is polled with curl every POLL_INTERVAL seconds (default 0.01, so the resolution is about
# 10 ms plus one curl). POLL_INTERVAL=0 polls with no pause at all, but on a 2-core machine that
# loop of curl processes takes most of a core from the starting JVM and adds 0.3-0.4 s.
#
# Usage: bench/start-to-ready.sh            (builds the jar first; BENCH_NO_BUILD=1 skips that)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
select_jdk

RUNS=${RUNS:-5}
IDLE_SECONDS=${IDLE_SECONDS:-5}
POLL_INTERVAL=${POLL_INTERVAL:-0.01}
READY_TIMEOUT_MS=30000

if [ "${BENCH_NO_BUILD:-}" != 1 ]; then
  timeout 600 mvn -q -B -o -DskipTests package
fi
jar=target/alert-history.jar
[ -f "$jar" ] || { echo "bench: $jar is missing" >&2; exit 1; }

pid=
data=$(mktemp -d)
cleanup() {
  stop_pid "$pid"
  rm -rf "$data"
}
trap cleanup EXIT INT TERM

echo "jdk:      $("$JAVA_HOME/bin/java" -version 2>&1 | sed -n 2p)"
echo "command:  java -jar $jar   (no JVM flags), /readyz polled every ${POLL_INTERVAL} s"
echo "machine:  $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

ready_ms=()
rss_mib=()
for run in $(seq 1 "$RUNS"); do
  port=$(free_port)
  t0=$(now_ns)
  # one store for all runs: the first creates the schema (Flyway), the others are restarts
  HTTP_HOST=127.0.0.1 HTTP_PORT=$port TARGETS_DIR=examples/targets DATA_DIR="$data/run" LOG_FORMAT=json \
    timeout -k 5 120 "$JAVA_HOME/bin/java" -jar "$jar" >/dev/null 2>&1 &
  pid=$!
  while :; do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$port/readyz" || true)
    [ "$code" = 200 ] && break
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "bench: the service exited before it was ready (run $run)" >&2
      exit 1
    fi
    if [ $((($(now_ns) - t0) / 1000000)) -gt "$READY_TIMEOUT_MS" ]; then
      echo "bench: not ready within ${READY_TIMEOUT_MS} ms (run $run)" >&2
      exit 1
    fi
    [ "$POLL_INTERVAL" = 0 ] || sleep "$POLL_INTERVAL"
  done
  t1=$(now_ns)
  ms=$(((t1 - t0) / 1000000))
  sleep "$IDLE_SECONDS"
  jvm=$(child_pid "$pid")
  [ -n "$jvm" ] || { echo "bench: cannot find the JVM's pid (run $run)" >&2; exit 1; }
  kib=$(rss_kib "$jvm")
  mib=$(awk -v k="$kib" 'BEGIN {printf "%.1f", k / 1024}')
  echo "run $run: ready in ${ms} ms, idle RSS ${mib} MiB (after ${IDLE_SECONDS} s)"
  ready_ms+=("$ms")
  rss_mib+=("$mib")
  stop_pid "$pid"
  pid=
done

echo "start to ready, median of $RUNS: $(median "${ready_ms[@]}") ms (goal < 2000 ms)"
echo "idle RSS, median of $RUNS: $(median "${rss_mib[@]}") MiB"
