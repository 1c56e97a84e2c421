#!/usr/bin/env bash
# Runs the monitor on an embedded Flink cluster, reading scans from Kafka and writing its four outputs to Kafka
# (exactly once). Checkpoints (which commit the outputs) go to $KAFKA_DIR/checkpoints.
#   jobs/run-kafka.sh [--config FILE] [--parallelism N] [--kafka.KEY V] [--flink.KEY V] ...
# Default configuration: config/demo.yaml (thresholds sized for jobs/generate-to-kafka.sh). Later options win.
set -euo pipefail
source "$(dirname "$0")/kafka-common.sh"
ensure_jar
exec java -jar "$JAR" --config "$ROOT/config/demo.yaml" --source kafka --sink kafka \
    --kafka.bootstrap-servers "$BOOTSTRAP" \
    --flink.execution.checkpointing.dir "file://$KAFKA_DIR/checkpoints" "$@"
