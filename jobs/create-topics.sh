#!/usr/bin/env bash
# Creates the monitor's five topics if missing.  jobs/create-topics.sh [--partitions N] [--config FILE] [--kafka.KEY V]
set -euo pipefail
source "$(dirname "$0")/kafka-common.sh"
run_tool CreateTopics "$@"
