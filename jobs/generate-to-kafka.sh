#!/usr/bin/env bash
# Writes simulated traffic into the input topic at a chosen rate.
#   jobs/generate-to-kafka.sh [--rate EVENTS_PER_S] [--parcels N] [--day yyyy-MM-dd] [--seed N] [--max-events N]
# Default: 2000 events/s of a 60,000-parcel day, dated today (in the configured time zone).
set -euo pipefail
source "$(dirname "$0")/kafka-common.sh"
run_tool GenerateToKafka "$@"
