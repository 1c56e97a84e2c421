#!/usr/bin/env bash
# Replays a JSON-lines scan file (or a folder of them) and writes the results under OUTDIR.
# Usage: jobs/replay.sh FILE_OR_FOLDER OUTDIR [--config FILE] [--dotted.key value ...]
# Without --config the built-in defaults apply. Java options: config/jvm.options.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 FILE_OR_FOLDER OUTDIR [options]" >&2
  exit 2
fi
input=$(realpath "$1"); out=$(realpath -m "$2"); shift 2
cd "$(dirname "$0")/.."
jar=target/express-traffic-monitor.jar
[ -f "$jar" ] || mvn -B -q package -DskipTests
exec java @config/jvm.options -jar "$jar" --source "file:$input" --sink "dir:$out" "$@"
