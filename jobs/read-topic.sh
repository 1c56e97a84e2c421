#!/usr/bin/env bash
# Prints a topic as a read_committed consumer sees it (key, value, headers), from the beginning.
#   jobs/read-topic.sh alerts|district-metrics|dead-letter|late-events|scan-events|TOPIC [--follow true] [--max N]
set -euo pipefail
source "$(dirname "$0")/kafka-common.sh"
if [[ $# -lt 1 ]]; then echo "usage: $0 TOPIC [--follow true] [--max N]" >&2; exit 2; fi
TOPIC="$1"; shift
run_tool ReadTopic --topic "$TOPIC" "$@"
