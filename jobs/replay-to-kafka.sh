#!/usr/bin/env bash
# Writes a JSON-lines scan file into the input topic, keyed by waybill (bad lines too, keyed null; blank lines skipped).
#   jobs/replay-to-kafka.sh FILE [--rate RECORDS_PER_S] [--config FILE] [--kafka.topics.scan-events TOPIC]
#                           [--kafka.properties.KEY V]
# Default: as fast as the broker takes them.
set -euo pipefail
source "$(dirname "$0")/kafka-common.sh"
if [[ $# -lt 1 ]]; then echo "usage: $0 FILE [options]" >&2; exit 2; fi
FILE="$1"; shift
run_tool ReplayToKafka --file "$FILE" "$@"
