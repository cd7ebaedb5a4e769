#!/usr/bin/env bash
# Webhook ingest throughput against a bare parse endpoint, in one run on one machine.
#
# Starts, on free loopback ports:
#   - the service: `java -jar target/alert-history.jar` (no JVM flags) with a TARGETS_DIR that
#     holds only examples/targets/log.yaml. The log target writes every notification to stdout at
#     info level, so the service's stdout goes to /dev/null: the log lines are still encoded, but
#     the cost of a terminal or pipe does not dominate the figure.
#   - BareParseServer (src/test/java/io/alerthistory/bench): the same Helidon server, one route
#     POST /parse that only parses the body into a Jackson JsonNode with the service's mapper.
# Warms each up for WARMUP seconds (default 5), then runs
#   wrk -t2 -c32 -d${DURATION}s -s bench/post-json.lua URL -- examples/alerts/firing.json
# against /webhook and then against /parse, and prints requests/s, p99 and the ratio
# webhook/bare (goal >= 0.5). Any non-2xx answer or socket error makes the script fail; wrk
# timeouts (no answer within 2 s) are reported but do not stop it.
#
# Usage: bench/ingest-wrk.sh            (builds first; BENCH_NO_BUILD=1 skips that)
# The service runs with LOG_FORMAT=json (its default); LOG_FORMAT=text bench/ingest-wrk.sh compares.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
select_jdk

WARMUP=${WARMUP:-5}
DURATION=${DURATION:-15}
THREADS=2
CONNECTIONS=32
BODY=examples/alerts/firing.json
SERVICE_LOG_FORMAT=${LOG_FORMAT:-json}

build_with_test_classes
for f in target/alert-history.jar target/cp.txt \
  target/test-classes/io/alerthistory/bench/BareParseServer.class; do
  [ -f "$f" ] || { echo "bench: $f is missing (build first)" >&2; exit 1; }
done

work=$(mktemp -d)
svc=
bare=
cleanup() {
  stop_pid "$svc"
  stop_pid "$bare"
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

mkdir "$work/targets"
cp examples/targets/log.yaml "$work/targets/"

svc_port=$(free_port)
HTTP_HOST=127.0.0.1 HTTP_PORT=$svc_port TARGETS_DIR="$work/targets" DATA_DIR="$work/data" \
  LOG_FORMAT=$SERVICE_LOG_FORMAT \
  timeout -k 5 600 "$JAVA_HOME/bin/java" -jar target/alert-history.jar \
  >/dev/null 2>"$work/service.err" &
svc=$!

bare_port=$(free_port)
while [ "$bare_port" = "$svc_port" ]; do bare_port=$(free_port); done
timeout -k 5 600 "$JAVA_HOME/bin/java" \
  -cp "target/test-classes:target/classes:$(cat target/cp.txt)" \
  io.alerthistory.bench.BareParseServer "$bare_port" >/dev/null 2>"$work/bare.err" &
bare=$!

webhook_url="http://127.0.0.1:$svc_port/webhook"
bare_url="http://127.0.0.1:$bare_port/parse"

wait_200 service "$svc" "http://127.0.0.1:$svc_port/readyz"
wait_200 "bare parse server" "$bare" -H 'Content-Type: application/json' \
  --data-binary "@$BODY" "$bare_url"

# One request by hand first: the webhook must accept the payload and make one delivery.
answer=$(curl -s --max-time 5 -H 'Content-Type: application/json' --data-binary "@$BODY" \
  -w ' %{http_code}' "$webhook_url")
echo "webhook check: $answer"
case "$answer" in
  *'"deliveries":1'*' 200') ;;
  *) echo "bench: the webhook did not accept $BODY with one delivery" >&2; exit 1 ;;
esac

echo "jdk:      $("$JAVA_HOME/bin/java" -version 2>&1 | sed -n 2p)"
echo "machine:  $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "service:  java -jar target/alert-history.jar (no JVM flags), LOG_FORMAT=$SERVICE_LOG_FORMAT, stdout to /dev/null"
echo "load:     wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s -s bench/post-json.lua URL -- $BODY"

echo "== warm-up /webhook (${WARMUP} s)"
run_wrk warm-webhook "$webhook_url" "$WARMUP" >/dev/null
echo "== warm-up /parse (${WARMUP} s)"
run_wrk warm-bare "$bare_url" "$WARMUP" >/dev/null
echo "== /webhook (${DURATION} s)"
run_wrk webhook "$webhook_url" "$DURATION"
echo "== /parse (${DURATION} s)"
run_wrk bare "$bare_url" "$DURATION"

# Every request the service answered 200 must show up as an accepted alert (one per payload).
sent=$((1 + $(field warm-webhook requests) + $(field webhook requests)))
received=$(curl -s --max-time 5 "http://127.0.0.1:$svc_port/metrics" |
  awk '/^alert_history_alerts_received_total/ {printf "%d", $2}')
# wrk does not count requests still in flight when it stops, so received may exceed sent a little.
echo "service counted $received alerts received for $sent webhook requests wrk saw answered"
if [ "${received:-0}" -lt "$sent" ]; then
  echo "bench: FAILED: the service counted fewer alerts than requests answered" >&2
  exit 1
fi

w_rps=$(field webhook rps)
b_rps=$(field bare rps)
ratio=$(awk -v w="$w_rps" -v b="$b_rps" 'BEGIN {printf "%.2f", w / b}')
verdict=$(awk -v r="$ratio" 'BEGIN {print (r >= 0.5) ? "goal met" : "goal NOT met"}')
echo "webhook:  $w_rps req/s, p99 $(field webhook p99_ms) ms, $(field webhook err_timeout) timeouts"
echo "bare:     $b_rps req/s, p99 $(field bare p99_ms) ms, $(field bare err_timeout) timeouts"
echo "ratio webhook/bare: $ratio (goal >= 0.5: $verdict)"
