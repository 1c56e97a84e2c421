#!/usr/bin/env bash
# Stops the broker started by jobs/start-kafka.sh; with --clean also deletes its data.
set -euo pipefail
source "$(dirname "$0")/kafka-common.sh"
if [[ -f "$KAFKA_DIR/kafka.pid" ]]; then
  PID="$(cat "$KAFKA_DIR/kafka.pid")"
  if kill "$PID" 2>/dev/null; then
    for _ in $(seq 1 30); do kill -0 "$PID" 2>/dev/null || break; sleep 1; done
    echo "Kafka stopped"
  fi
  rm -f "$KAFKA_DIR/kafka.pid"
fi
if [[ "${1:-}" == "--clean" ]]; then
  rm -rf "$KAFKA_DIR"
  echo "removed $KAFKA_DIR"
fi
