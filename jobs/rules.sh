#!/usr/bin/env bash
# The alert rules of the running monitor (Kafka control topic and results topic).
#   jobs/rules.sh show                          the rules in force, as YAML
#   jobs/rules.sh send FILE [--version N]       checks an update (YAML or JSON), sends it, prints the monitor's answer
# Exit status of send: 0 applied, 2 the update fails the check (nothing sent), 1 rejected, ignored or no answer.
set -euo pipefail
source "$(dirname "$0")/kafka-common.sh"
if [[ $# -lt 1 ]]; then echo "usage: $0 show | send FILE [--version N] [--timeout 60s]" >&2; exit 2; fi
# The command (and send's file) come first; options given here override the local broker's address.
ARGS=("$1"); shift
if [[ "${ARGS[0]}" == send && $# -ge 1 && "$1" != --* ]]; then ARGS+=("$1"); shift; fi
ensure_jar
exec java -cp "$JAR" com.expressmonitor.tools.AlertRules "${ARGS[@]}" --kafka.bootstrap-servers "$BOOTSTRAP" "$@"
