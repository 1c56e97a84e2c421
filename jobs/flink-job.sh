#!/usr/bin/env bash
# The monitoring job on a Flink 2.2 session cluster, through its REST API: the local cluster of
# jobs/flink-cluster.sh, or any cluster with FLINK_REST=http://HOST:PORT. Usable from any directory.
#
#   jobs/flink-job.sh submit [--parallelism N] [--from SAVEPOINT] [--allow-non-restored-state] [--claim] [monitor options]
#        uploads the job jar and runs it; monitor options default to
#        --config config/express-monitor.yaml --source kafka --sink kafka (paths are made absolute: the job's
#        main() runs in the JobManager, which must be able to read them); parallelism defaults to the cluster's
#   jobs/flink-job.sh list                       every job the cluster knows, newest first
#   jobs/flink-job.sh status [JOB]               state, parallelism, checkpoints, last failure
#   jobs/flink-job.sh savepoint [JOB]            a savepoint; the job runs on
#   jobs/flink-job.sh stop [JOB] [--drain]       stops the job with a savepoint and prints its path
#                                                (--drain first closes and emits every window)
#   jobs/flink-job.sh resume [--from PATH|latest] [--parallelism N] [--claim] [monitor options]
#        submits again from a savepoint or retained checkpoint (default: the newest in the cluster's savepoint and
#        checkpoint folders), at another parallelism if given, with the last submission's options unless given.
#        Where restores claim their snapshot (the changelog state backend, or claim-mode CLAIM), Flink deletes what
#        it restored from once newer checkpoints replace it: a savepoint on this machine is copied and the copy
#        restored; one elsewhere is refused unless --claim hands it over (submit --from alike)
#   jobs/flink-job.sh cancel [JOB]               cancels the job; its retained checkpoints stay
#   jobs/flink-job.sh exceptions [JOB]           the job's failures, newest first
# JOB is a job id; without it, the only job that is running.
# Environment: FLINK_REST (default http://localhost:$FLINK_REST_PORT, 8081), FLINK_LOCAL_DIR (where submissions are recorded for
# resume; default /tmp/express-monitor-flink).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${FLINK_LOCAL_DIR:-${TMPDIR:-/tmp}/express-monitor-flink}"
RUNNABLE="$ROOT/target/express-traffic-monitor.jar"
if [[ $# -eq 0 || "$1" == -h || "$1" == --help || "$1" == help ]]; then
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
  exit $(( $# == 0 ? 2 : 0 ))
fi
JOBJAR="$(ls "$ROOT"/target/express-traffic-monitor-*-job.jar 2>/dev/null | head -1 || true)"
if [[ ! -f "$RUNNABLE" || -z "$JOBJAR" ]]; then
  echo "flink-job: building the jars (mvn -B -q package -DskipTests) ..." >&2
  (cd "$ROOT" && mvn -B -q package -DskipTests >/dev/null) || { echo "flink-job: the build failed; run mvn -B package -DskipTests to see why" >&2; exit 1; }
  JOBJAR="$(ls "$ROOT"/target/express-traffic-monitor-*-job.jar | head -1)"
fi
command="$1"; shift
args=("$@")
if [[ "$command" == submit ]]; then
  # The monitor's defaults for a cluster: Kafka in and out with the production configuration.
  has() { local o; for o in "${args[@]}"; do [[ "$o" == "$1" ]] && return 0; done; return 1; }
  ((${#args[@]})) || args=()
  has --config || args+=(--config "$ROOT/config/express-monitor.yaml")
  has --source || args+=(--source kafka)
  has --sink || args+=(--sink kafka)
fi
REST="${FLINK_REST:-http://localhost:${FLINK_REST_PORT:-8081}}"
exec java -cp "$RUNNABLE" com.expressmonitor.tools.FlinkJobs --rest "$REST" --state-dir "$DIR" --jar "$JOBJAR" \
  "$command" "${args[@]}"
