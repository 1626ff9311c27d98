#!/usr/bin/env bash
# The Java suite: the Maven module bindings/java (com.ihuyi:ihuyi, FFM over libihuyi), JUnit 5
# against the sandbox. Needs a JDK >= 22 (the FFM API is final since 22): it takes the newest one
# under /usr/lib/jvm (Temurin sits beside Debian's default JDK 17 there) unless JAVA_HOME already
# points at one. Installs Maven from Debian when missing; JUnit and Surefire come from Maven Central.
set -euo pipefail
cd "$(dirname "$0")/.."

java_major() { # the feature version of the JDK in $1, or 0
  local v
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null || true)
  echo "${v:-0}"
}

if [ -z "${JAVA_HOME:-}" ] || [ "$(java_major "$JAVA_HOME")" -lt 22 ]; then
  best=""; best_major=0
  for jdk in /usr/lib/jvm/*/; do
    jdk=${jdk%/}
    [ -x "$jdk/bin/javac" ] || continue
    major=$(java_major "$jdk")
    if [ "$major" -gt "$best_major" ]; then best=$jdk; best_major=$major; fi
  done
  if [ "$best_major" -lt 22 ]; then
    echo "test-java: no JDK >= 22 under /usr/lib/jvm (found: $(ls /usr/lib/jvm 2>/dev/null | tr '\n' ' '))." >&2
    echo "test-java: com.ihuyi:ihuyi uses the FFM API (JDK 22+): install one (e.g. Temurin) there or set JAVA_HOME." >&2
    exit 1
  fi
  export JAVA_HOME=$best
fi
echo "test-java: JAVA_HOME=$JAVA_HOME (JDK $(java_major "$JAVA_HOME"))"
# Debian's Maven (its bundled Guava) trips JDK 23+'s sun.misc.Unsafe warnings: noise, not ours.
if [ "$(java_major "$JAVA_HOME")" -ge 23 ]; then
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi

if ! command -v mvn >/dev/null; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y maven
fi

cargo build -p ihuyi-c
lib="$PWD/target/debug/libihuyi.so"

cd bindings/java
rm -rf target/surefire-reports
mvn -q -B test "-Dihuyi.library.path=$lib"

# Surefire counts skipped tests without failing: refuse them, and refuse an empty run.
total=0
for report in target/surefire-reports/TEST-*.xml; do
  [ -f "$report" ] || continue
  header=$(grep -o '<testsuite [^>]*' "$report")
  tests=$(sed -n 's/.* tests="\([0-9]*\)".*/\1/p' <<<"$header")
  skipped=$(sed -n 's/.* skipped="\([0-9]*\)".*/\1/p' <<<"$header")
  if [ "${skipped:-0}" -ne 0 ]; then
    echo "test-java: $report has $skipped skipped test(s)" >&2
    exit 1
  fi
  total=$((total + ${tests:-0}))
done
[ "$total" -gt 0 ] || { echo "test-java: no tests ran" >&2; exit 1; }
echo "test-java: $total tests passed, none skipped"
