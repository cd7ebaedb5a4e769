# Sourced by bin/run and bin/test: selects a JDK 21 or newer into JAVA_HOME.
# Order: $JAVA_HOME, the `java` on PATH, then every JDK under ${JVM_DIR:-/usr/lib/jvm} (newest first).

java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}

select_jdk() {
  local candidates=() home
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    candidates+=("$home")
  fi
  for home in $(ls -d "${JVM_DIR:-/usr/lib/jvm}"/*/ 2>/dev/null | sort -rV); do
    candidates+=("${home%/}")
  done
  for home in "${candidates[@]}"; do
    if [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ]; then
      local major
      major=$(java_major "$home")
      if [ -n "$major" ] && [ "$major" -ge 21 ]; then
        export JAVA_HOME="$home"
        export PATH="$JAVA_HOME/bin:$PATH"
        return 0
      fi
    fi
  done
  echo "alert-history needs a JDK 21 or newer: install one (e.g. apt-get install openjdk-21-jdk, or Temurin 21+) or set JAVA_HOME to it." >&2
  exit 1
}
