# Sourced by the bench/*.sh scripts. Small helpers only; no dependency on bin/.

# Major version of the JDK at $1, or empty when it is not a JDK.
java_major() {
  local v
  [ -x "$1/bin/java" ] || return 0
  if [ -f "$1/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9.]*\).*/\1/p' "$1/release")
  else
    v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 |
      awk -F'= ' '/java.specification.version/ {print $2; exit}')
  fi
  # "1.8.0" style versions are < 21 anyway; the first field is enough.
  echo "${v%%.*}"
}

# Exports JAVA_HOME: $JAVA_HOME when it is 21+, else the first 21+ JDK under /usr/lib/jvm.
select_jdk() {
  local home major
  for home in ${JAVA_HOME:+"$JAVA_HOME"} /usr/lib/jvm/*; do
    major=$(java_major "$home")
    if [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null && [ -x "$home/bin/javac" ]; then
      export JAVA_HOME="$home"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  echo "bench: no JDK 21+ found (JAVA_HOME or /usr/lib/jvm/*)" >&2
  exit 1
}

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
