#!/usr/bin/env bash
# Runs the monitor on an embedded Flink cluster, reading scans from Kafka and writing its four outputs to Kafka
# (exactly once). Checkpoints (which commit the outputs) go to $KAFKA_DIR/checkpoints, Flink's log to
# $KAFKA_DIR/monitor.log; the web UI is on localhost:$MONITOR_REST_PORT (default 8082). Java options: config/jvm.options.
#   jobs/run-kafka.sh [--config FILE] [--parallelism N] [--kafka.KEY V] [--flink.KEY V] ...
# Default configuration: config/demo.yaml (thresholds sized for jobs/generate-to-kafka.sh). Later options win.
# To operate the job for real (savepoints, upgrades, lost machines), run it on a cluster: jobs/flink-cluster.sh.
set -euo pipefail
source "$(dirname "$0")/kafka-common.sh"
ensure_jar
REST_PORT="${MONITOR_REST_PORT:-8082}"
mkdir -p "$KAFKA_DIR"
echo "run-kafka: web UI http://localhost:$REST_PORT, Flink's log $KAFKA_DIR/monitor.log (Ctrl-C to stop)" >&2
exec java @"$ROOT/config/jvm.options" -Dlog.file="$KAFKA_DIR/monitor.log" \
    -Dlog4j.configurationFile="file:$ROOT/config/flink/log4j.properties" \
    -jar "$JAR" --config "$ROOT/config/demo.yaml" --source kafka --sink kafka \
    --kafka.bootstrap-servers "$BOOTSTRAP" \
    --flink.execution.checkpointing.dir "file://$KAFKA_DIR/checkpoints" \
    --flink.rest.bind-address localhost --flink.rest.port "$REST_PORT" "$@"
