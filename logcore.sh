#!/usr/bin/env bash
# LogCore launcher: the one entry point a user types (named logcore.sh because logcore/ is the log's
# module directory).
#
# It finds a JDK 25 by itself (JAVA_HOME when it is 25 or newer, else the newest under
# /usr/lib/jvm), installs the Debian packages the build and the tests need when they are missing
# (as root, with apt), builds the project with Maven when the sources changed, and runs the tools.
# Run `./logcore.sh help` for the commands.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VERSION="0.1.0-SNAPSHOT"
STAMP="$ROOT/target/.logcore-built"
# Every JVM we start: the JNI and FFI providers need native access (System.load, jffi's stub,
# MemorySegment.reinterpret); Netty 4.2 copies through ByteBuffers instead of using
# sun.misc.Unsafe unless it is allowed, which JDK 25 does only with this flag (and silently).
JAVA_FLAGS=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)

say() { printf 'logcore: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

usage() {
  cat <<'EOF'
usage: ./logcore.sh COMMAND [ARGS]

Main commands
  serve [FLAGS]        start the LogCore server (pub/sub on 127.0.0.1:6380, HTTP on 127.0.0.1:8080,
                       data in ./data, backend auto); ./logcore.sh serve --help lists every setting
  test                 run every test of the project (what CI runs)

Tools
  check [FLAGS]        list the DiskIo providers (available, or why not), then run a short write,
                       writev, sync and read-back check on the chosen backend and print its stats
                       (--backend NAME|auto, --data-dir DIR, --config FILE, --list)
  providers            list the DiskIo providers and whether each is available here
  conformance --jar JAR [--jar JAR2 ...] [--require NAME]
                       run the provider conformance suite (the TCK) against a provider jar that is
                       not ours; --require makes the run fail unless NAME is present and available
  bench disk|log|pubsub [ARGS]
                       the comparative benchmark reports (not tests); ARGS --help for each
  verify-log DIR       verify every segment of a log directory and print what was found
  build                compile and package everything (done automatically when sources change)
  mvn ARGS             run Maven with the JDK the launcher found

Choosing a backend: --backend NAME (flag), LOGCORE_BACKEND (env), -Dlogcore.backend (system
property, via JAVA_OPTS), or `backend=NAME` in ./logcore.properties; highest first. NAME is nio,
uring-ffi, uring-jni or auto (the best available one). An unavailable backend fails at start with
its reason; there is never a silent fallback.
EOF
}

# --- the JDK -----------------------------------------------------------------------------------

java_major() { # prints the feature version of the JDK at $1, or nothing
  local v
  [[ -x "$1/bin/java" && -x "$1/bin/javac" ]] || return 0
  v="$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1)"
  [[ "$v" =~ ^[0-9]+$ ]] && printf '%s' "$v"
  return 0
}

find_jdk() {
  local best="" best_v=0 c v
  if [[ -n "${JAVA_HOME:-}" ]]; then
    v="$(java_major "$JAVA_HOME")"
    if [[ -n "$v" && "$v" -ge 25 ]]; then
      printf '%s' "$JAVA_HOME"; return 0
    fi
  fi
  for c in /usr/lib/jvm/*; do
    [[ -d "$c" && ! -L "$c" ]] || continue
    v="$(java_major "$c")"
    if [[ -n "$v" && "$v" -ge 25 && "$v" -gt "$best_v" ]]; then best="$c"; best_v="$v"; fi
  done
  if [[ -z "$best" ]]; then
    say "no JDK 25 or newer found."
    say "  looked at JAVA_HOME=${JAVA_HOME:-<unset>} and every JDK under /usr/lib/jvm"
    say "  install one (for example Temurin 25 from adoptium.net) and set JAVA_HOME to it."
    exit 1
  fi
  printf '%s' "$best"
}

JDK="$(find_jdk)"
export JAVA_HOME="$JDK"
export PATH="$JDK/bin:$PATH"
JAVA="$JDK/bin/java"

# --- Debian packages -----------------------------------------------------------------------------

APT_UPDATED=0
ensure_packages() { # ensure_packages pkg... : installs the missing ones (root) or says how
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  if [[ "$(id -u)" -ne 0 ]]; then
    die "missing Debian packages: ${missing[*]}. Run this as root, or first: sudo apt-get install -y ${missing[*]}"
  fi
  say "installing ${missing[*]} (apt-get)..."
  if [[ $APT_UPDATED -eq 0 ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || die "apt-get update failed"
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]} failed"
}

# What compiling needs: Maven, gcc and liburing's headers and static library (the uring-jni shim).
BUILD_PACKAGES=(maven gcc libc6-dev liburing-dev)
# What the tests need besides: redis-server/redis-cli (the golden protocol comparison and the real
# clients), valgrind (the native shim under a memory checker), fio (the disk reference).
TEST_PACKAGES=(redis-server redis-tools valgrind fio)

mvn_run() {
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  (cd "$ROOT" && mvn -Dstyle.color=never "$@")
}

# --- building ------------------------------------------------------------------------------------

sources_changed() {
  [[ -f "$STAMP" ]] || return 0
  [[ -n "$(find "$ROOT" -path "$ROOT/.git" -prune -o -path '*/target' -prune -o \
        \( -name '*.java' -o -name '*.c' -o -name '*.h' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) \
        -newer "$STAMP" -print -quit)" ]]
}

build() {
  ensure_packages "${BUILD_PACKAGES[@]}"
  say "building LogCore with $("$JAVA" -version 2>&1 | head -1) (the first build downloads dependencies: a few minutes)..."
  local t0=$SECONDS
  mvn_run -B -q -DskipTests install || die "the build failed (see above)"
  mkdir -p "$(dirname "$STAMP")" && touch "$STAMP"
  say "built in $((SECONDS - t0)) s"
}

ensure_built() { if sources_changed; then build; fi; }

classpath_of() { # classpath_of MODULE : its classes and the runtime jars its package phase copied
  local m="$ROOT/$1"
  [[ -d "$m/target/classes" ]] || die "module $1 is not built"
  printf '%s' "$m/target/classes:$m/target/lib/*"
}

run_java() { exec "$JAVA" "${JAVA_FLAGS[@]}" ${JAVA_OPTS:-} "$@"; }

# --- commands ------------------------------------------------------------------------------------

cmd="${1:-help}"
[[ $# -gt 0 ]] && shift
case "$cmd" in
  help|-h|--help)
    usage ;;
  test)
    ensure_packages "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
    say "running every test (mvn verify) with $("$JAVA" -version 2>&1 | head -1)"
    mvn_run -B verify -Dlogcore.require.redis=true "$@"
    mkdir -p "$(dirname "$STAMP")" ;;
  build)
    build ;;
  serve)
    ensure_built
    run_java -cp "$(classpath_of verticles)" dev.logcore.app.Main serve "$@" ;;
  check)
    ensure_built
    run_java -cp "$(classpath_of verticles)" dev.logcore.io.tool.DiskIoCheck "$@" ;;
  providers)
    ensure_built
    run_java -cp "$(classpath_of verticles)" dev.logcore.io.tool.DiskIoCheck --list "$@" ;;
  conformance)
    ensure_built
    jars=() require=""
    while [[ $# -gt 0 ]]; do
      case "$1" in
        --jar) [[ $# -ge 2 ]] || die "--jar needs a path"; [[ -f "$2" ]] || die "no such jar: $2"
               jars+=("$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"); shift 2 ;;
        --jar=*) f="${1#--jar=}"; [[ -f "$f" ]] || die "no such jar: $f"
                 jars+=("$(cd "$(dirname "$f")" && pwd)/$(basename "$f")"); shift ;;
        --require) [[ $# -ge 2 ]] || die "--require needs a provider name"; require="$2"; shift 2 ;;
        --require=*) require="${1#--require=}"; shift ;;
        *) die "conformance: unknown argument $1 (usage: ./logcore.sh conformance --jar JAR [--require NAME])" ;;
      esac
    done
    [[ ${#jars[@]} -gt 0 ]] || die "conformance: name the provider jar(s) with --jar (ours are tested by ./logcore.sh test)"
    tck="$ROOT/conformance-tests/target/conformance-tests-$VERSION.jar"
    [[ -f "$tck" ]] || die "the conformance suite is not built ($tck)"
    cp="$tck:$ROOT/conformance-tests/target/lib/*"
    for j in "${jars[@]}"; do cp="$cp:$j"; done
    dir="$ROOT/target/conformance-files"; mkdir -p "$dir"
    say "running the conformance suite against ${jars[*]}${require:+ (requiring $require)}"
    run_java -Dlogcore.conformance.require="$require" -Dlogcore.conformance.strict="${require:+true}" \
      -Dlogcore.conformance.dir="$dir" -cp "$cp" org.junit.platform.console.ConsoleLauncher \
      execute --disable-banner --details=tree --select-package=dev.logcore.conformance \
      --include-classname='.*Test' --fail-if-no-tests ;;
  bench)
    suite="${1:-}"; [[ $# -gt 0 ]] && shift
    case "$suite" in
      disk) ensure_packages fio; main=dev.logcore.bench.disk.DiskBench ;;
      log) ensure_packages fio; main=dev.logcore.bench.log.LogBench ;;
      pubsub) ensure_packages redis-server redis-tools; main=dev.logcore.bench.pubsub.PubSubBench ;;
      *) die "bench: name a suite: disk, log or pubsub" ;;
    esac
    ensure_built
    bench_flags=()
    if [[ "$suite" == log ]]; then
      # Chronicle Queue (the log bench's baseline) needs --add-opens/--add-exports; LogBench keeps the list.
      read -r -a bench_flags <<< "$("$JAVA" -cp "$(classpath_of benchmarks)" "$main" --print-jvm-flags)"
    fi
    run_java "${bench_flags[@]}" ${BENCH_JAVA_OPTS:-} -cp "$(classpath_of benchmarks)" "$main" "$@" ;;
  verify-log)
    ensure_built
    run_java -cp "$(classpath_of logcore)" dev.logcore.log.tool.VerifyLog "$@" ;;
  mvn)
    mvn_run "$@" ;;
  *)
    say "unknown command '$cmd'"; usage >&2; exit 2 ;;
esac
