# Sourced by the bench/*.sh scripts. Small helpers only; no dependency on bin/.

# JDK selection is shared with bin/run and bin/test.
. "$(dirname "${BASH_SOURCE[0]}")/../bin/jdk.sh"

# A loopback port nobody listens on right now (racy, but good enough for a local run).
free_port() {
  local p i
  for i in $(seq 1 50); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return 0
    fi
  done
  echo "bench: no free port found" >&2
  exit 1
}

now_ns() { date +%s%N; }

# Median of the numbers given as arguments.
median() {
  printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'
}

# The pid of the single child of $1 (the JVM under `timeout`), or empty.
child_pid() {
  cat "/proc/$1/task/$1/children" 2>/dev/null | awk '{print $1}'
}

# Resident set size of $1 in KiB.
rss_kib() {
  awk '/^VmRSS:/ {print $2}' "/proc/$1/status"
}

# Stops a process started as `timeout -k 5 ...`: timeout forwards the TERM to the JVM and sends
# KILL 5 s later if it is still there, so the wait below is bounded.
stop_pid() {
  [ -n "$1" ] || return 0
  kill -TERM "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# Builds the jar and the test classes and writes the test classpath to target/cp.txt, unless
# BENCH_NO_BUILD=1. (package also compiles the test classes; -DskipTests only skips running them.)
build_with_test_classes() {
  if [ "${BENCH_NO_BUILD:-}" != 1 ]; then
    timeout 600 mvn -q -B -o -DskipTests package
    timeout 600 mvn -q -B -o dependency:build-classpath \
      -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
  fi
  [ -f target/cp.txt ] || { echo "bench: target/cp.txt is missing (build first)" >&2; exit 1; }
}

# Waits until `curl "$@"` answers 200, for at most 30 s; $1 names the server, $2 is its pid.
# On failure prints the servers' stderr files ($work/*.err).
wait_200() {
  local name=$1 pid=$2 i code
  shift 2
  for i in $(seq 1 300); do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$@" || true)
    [ "$code" = 200 ] && return 0
    kill -0 "$pid" 2>/dev/null || { echo "bench: $name exited:" >&2; cat "$work"/*.err >&2; exit 1; }
    sleep 0.1
  done
  echo "bench: $name not answering 200 after 30 s (last status $code)" >&2
  exit 1
}

# Pulls key=value out of the RESULT line that run_wrk left in $work/$1.
field() { tr ' ' '\n' <"$work/$1" | sed -n "s/^$2=//p"; }

# Runs wrk (THREADS, CONNECTIONS, bench/post-json.lua posting BODY) against $2 for $3 seconds;
# prints its output and leaves the RESULT line in $work/$1. Any non-2xx answer or socket error
# fails the run.
run_wrk() {
  local name=$1 url=$2 secs=$3 out
  out=$(timeout $((secs + 30)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${secs}s" --latency \
    -s bench/post-json.lua "$url" -- "$BODY")
  echo "$out" | sed 's/^/  /'
  echo "$out" | grep '^RESULT ' >"$work/$name"
  if echo "$out" | grep -q 'Non-2xx or 3xx responses'; then
    echo "bench: FAILED: $url answered non-2xx during the load ($name)" >&2
    exit 1
  fi
  if ! grep -q 'err_connect=0 err_read=0 err_write=0 err_status=0 ' "$work/$name"; then
    echo "bench: FAILED: socket errors or error statuses during the load ($name)" >&2
    exit 1
  fi
  if ! grep -q 'err_timeout=0$' "$work/$name"; then
    echo "WARNING: $(field "$name" err_timeout) requests got no answer within 2 s ($name)" >&2
  fi
}
