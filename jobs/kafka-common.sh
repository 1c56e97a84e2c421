# Shared settings of the local Kafka scripts (sourced, not run).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/target/express-traffic-monitor.jar"
KAFKA_DIR="${KAFKA_DIR:-${TMPDIR:-/tmp}/express-monitor-kafka}"   # broker data, logs, pid, state of local runs
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
BOOTSTRAP="${BOOTSTRAP:-localhost:$KAFKA_PORT}"

# The runnable jar holds the monitor and the Kafka tools; build it once if it is not there.
ensure_jar() {
  if [[ ! -f "$JAR" ]]; then
    echo "building $JAR ..." >&2
    (cd "$ROOT" && mvn -B -q package -DskipTests) >&2
  fi
}

run_tool() {
  local main="$1"; shift
  ensure_jar
  java -cp "$JAR" "com.expressmonitor.tools.$main" --kafka.bootstrap-servers "$BOOTSTRAP" "$@"
}
