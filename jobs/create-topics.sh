#!/usr/bin/env bash
# Creates the monitor's topics if missing (the alert rules' two with one partition).  jobs/create-topics.sh [--partitions N] [--config FILE] [--kafka.KEY V]
set -euo pipefail
source "$(dirname "$0")/kafka-common.sh"
run_tool CreateTopics "$@"
