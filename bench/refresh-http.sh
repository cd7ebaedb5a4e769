#!/usr/bin/env bash
# Latency of the refresh endpoints over HTTP: GET /api/v2/publishing/targets/status (goal p99 < 5 ms)
# and POST /api/v2/publishing/targets/refresh (goal p99 < 50 ms).
#
# Starts the service jar (no JVM flags) with TARGETS_DIR holding TARGETS (default 100) webhook
# targets and TARGET_REFRESH_RATE_LIMIT=0s, so every manual refresh is admitted unless one is
# already running (then the answer is 503 refresh_in_progress: both are counted, the split is
# printed). wrk runs DURATION seconds (default 10) per endpoint after a 3 s warm-up.
#
# Usage: bench/refresh-http.sh            (builds first; BENCH_NO_BUILD=1 skips that)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
select_jdk

DURATION=${DURATION:-10}
TARGETS=${TARGETS:-100}
if [ "${BENCH_NO_BUILD:-}" != 1 ]; then
  timeout 600 mvn -q -B -o -DskipTests package
fi

work=$(mktemp -d)
svc=
cleanup() {
  stop_pid "$svc"
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

mkdir "$work/targets"
for i in $(seq 1 "$TARGETS"); do
  printf '{"type": "webhook", "url": "http://127.0.0.1:9/t%d", "filter": ["severity=critical"]}\n' "$i" \
    >"$work/targets/t$i.json"
done
port=$(free_port)
HTTP_HOST=127.0.0.1 HTTP_PORT=$port TARGETS_DIR="$work/targets" DATA_DIR="$work/data" \
  TARGET_REFRESH_RATE_LIMIT=0s \
  timeout -k 5 600 "$JAVA_HOME/bin/java" -jar target/alert-history.jar >/dev/null 2>&1 &
svc=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 300); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/readyz" || true)" = 200 ] && break
  sleep 0.1
done

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $TARGETS targets"
run() {
  local name=$1
  shift
  timeout 60 wrk -t1 -c4 -d3s "$@" >/dev/null
  local out
  out=$(timeout 120 wrk -t1 -c4 -d"${DURATION}s" --latency "$@")
  local rps p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  echo "$name: ${rps} req/s, p99 ${p99}, non-2xx answers: ${non2xx:-0}"
}
run "GET  .../targets/status " "$base/api/v2/publishing/targets/status"
run "POST .../targets/refresh" -s bench/post-empty.lua "$base/api/v2/publishing/targets/refresh"
