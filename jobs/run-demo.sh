#!/usr/bin/env bash
# Builds the runnable jar if needed and runs the Double-11 demo on an embedded Flink cluster
# (Java options: config/jvm.options).
set -euo pipefail
cd "$(dirname "$0")/.."
jar=target/express-traffic-monitor.jar
[ -f "$jar" ] || mvn -B -q package -DskipTests
exec java @config/jvm.options -jar "$jar" "$@"
