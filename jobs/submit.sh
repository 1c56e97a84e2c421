#!/usr/bin/env bash
# Submits the job jar to a running Flink 2.2 cluster, reading scans from Kafka and writing results to Kafka.
# Needs FLINK_HOME (a Flink 2.2 distribution) or a 'flink' command on the PATH.
# Usage: jobs/submit.sh [--config FILE] [--dotted.key value ...]   (defaults to config/express-monitor.yaml)
set -euo pipefail
cd "$(dirname "$0")/.."
jar=$(ls target/express-traffic-monitor-*-job.jar 2>/dev/null | head -1 || true)
[ -n "$jar" ] || { mvn -B -q package -DskipTests; jar=$(ls target/express-traffic-monitor-*-job.jar | head -1); }
flink=${FLINK_HOME:+$FLINK_HOME/bin/}flink
args=("$@")
case " $* " in *" --config "*) ;; *) args=(--config "$PWD/config/express-monitor.yaml" "${args[@]}");; esac
exec "$flink" run --detached --class com.expressmonitor.job.ExpressTrafficMonitor "$jar" \
  --source kafka --sink kafka "${args[@]}"
