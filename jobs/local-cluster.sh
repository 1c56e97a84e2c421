#!/usr/bin/env bash
# A real Flink 2.2 session cluster on this machine, from the runnable jar (it holds the Flink runtime), without a
# Flink download: one JobManager (REST and web UI on localhost:8081) and one TaskManager with two slots.
# Usage: jobs/local-cluster.sh start | stop | submit [monitor options ...]
#   submit uploads the job jar through the REST API and runs com.expressmonitor.job.ExpressTrafficMonitor with the
#   given options, e.g.: jobs/local-cluster.sh submit --source file:/tmp/scans.jsonl --sink dir:/tmp/out
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${FLINK_LOCAL_DIR:-/tmp/express-monitor-flink}
runtime=target/express-traffic-monitor.jar
[ -f "$runtime" ] || mvn -B -q package -DskipTests
opens=(--add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED --add-opens=java.base/java.text=ALL-UNNAMED)

start() {
  mkdir -p "$dir/conf" "$dir/log"
  sed "s#file:///var/lib/express-traffic-monitor#file://$dir#g" config/flink/config.yaml > "$dir/conf/config.yaml"
  nohup java "${opens[@]}" -Xmx1g -Dlog.file="$dir/log/jobmanager.log" -cp "$runtime" \
    org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint --configDir "$dir/conf" \
    > "$dir/log/jobmanager.out" 2>&1 &
  echo $! > "$dir/jobmanager.pid"
  # The TaskManager's JVM flags and memory settings, computed by Flink from the configuration.
  params=$(java "${opens[@]}" -cp "$runtime" org.apache.flink.runtime.util.bash.BashJavaUtils GET_TM_RESOURCE_PARAMS \
    --configDir "$dir/conf" 2>/dev/null | grep BASH_JAVA_UTILS_EXEC_RESULT | sed 's/BASH_JAVA_UTILS_EXEC_RESULT://')
  jvm=$(echo "$params" | head -1)
  dynamic=$(echo "$params" | tail -1)
  # shellcheck disable=SC2086
  nohup java "${opens[@]}" $jvm -Dlog.file="$dir/log/taskmanager.log" -cp "$runtime" \
    org.apache.flink.runtime.taskexecutor.TaskManagerRunner --configDir "$dir/conf" $dynamic \
    > "$dir/log/taskmanager.out" 2>&1 &
  echo $! > "$dir/taskmanager.pid"
  for _ in $(seq 1 60); do
    if curl -sf http://localhost:8081/taskmanagers | grep -q '"slotsNumber":2'; then
      echo "Flink session cluster up: http://localhost:8081 (logs in $dir/log)"
      return 0
    fi
    sleep 1
  done
  echo "the cluster did not come up; see $dir/log" >&2
  return 1
}

stop() {
  for p in taskmanager jobmanager; do
    [ -f "$dir/$p.pid" ] && kill "$(cat "$dir/$p.pid")" 2>/dev/null || true
    rm -f "$dir/$p.pid"
  done
}

submit() {
  jar=$(ls target/express-traffic-monitor-*-job.jar | head -1)
  id=$(curl -sf -X POST -F "jarfile=@$jar" http://localhost:8081/jars/upload | sed -E 's/.*"filename":"[^"]*\/([^"\/]+)".*/\1/')
  args=$(python3 -c 'import json,sys; print(json.dumps({"entryClass":"com.expressmonitor.job.ExpressTrafficMonitor","programArgsList":sys.argv[1:]}))' "$@")
  curl -sf -X POST -H 'Content-Type: application/json' -d "$args" "http://localhost:8081/jars/$id/run"
  echo
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  submit) shift; submit "$@" ;;
  *) echo "usage: $0 start | stop | submit [options]" >&2; exit 2 ;;
esac
