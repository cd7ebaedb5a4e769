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
