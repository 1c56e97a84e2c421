#!/usr/bin/env bash
# A Flink 2.2 session cluster on this machine: one JobManager (REST API and web UI on localhost:8081) and
# TaskManagers with two slots each, each its own JVM, configured by config/flink/config.yaml and logging by
# config/flink/log4j.properties. Built like a Flink distribution: the runtime, RocksDB, the Prometheus reporter and
# logging come from Maven (jobs/flink-dist/pom.xml), or from $FLINK_HOME/lib when FLINK_HOME points at a Flink 2.2
# installation; no connector is on the cluster's classpath, the job jar brings its own.
#
#   jobs/flink-cluster.sh start [--taskmanagers N]    JobManager and N TaskManagers (default 1)
#   jobs/flink-cluster.sh status                      processes, slots and jobs
#   jobs/flink-cluster.sh stop                        every process of the cluster
#   jobs/flink-cluster.sh taskmanager start|stop|kill|restart [N] [--kill]
#                                                     one TaskManager: kill is kill -9 (a lost machine); restart
#                                                     stops it (with --kill: kills it) and starts a new one
#   jobs/flink-cluster.sh logs [jobmanager|taskmanager-N] [--follow]
#
# Jobs are submitted, stopped with a savepoint, resumed and cancelled with jobs/flink-job.sh.
# Environment: FLINK_LOCAL_DIR (configuration, logs, pid files, checkpoints and savepoints, and each process's local
# files under work/ while it runs; default /tmp/express-monitor-flink), FLINK_HOME (optional), FLINK_REST_PORT
# (8081), FLINK_RPC_PORT (6123), FLINK_CONF_EXTRA (more "key: value" lines of Flink configuration for this cluster).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${FLINK_LOCAL_DIR:-${TMPDIR:-/tmp}/express-monitor-flink}"
REST_PORT="${FLINK_REST_PORT:-8081}"
RPC_PORT="${FLINK_RPC_PORT:-6123}"
REST="http://localhost:$REST_PORT"
CONF="$DIR/conf"
LOG="$DIR/log"
# The JVM options Flink's own scripts pass (env.java.default-opts.all of a distribution).
OPENS=(--add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED)

say() { echo "flink-cluster: $*"; }
die() { echo "flink-cluster: $*" >&2; exit "${2:-1}"; }

alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

# The cluster's classpath: a distribution's lib/, or the same parts resolved by Maven (once; again when the list changes).
classpath() {
  if [[ -n "${FLINK_HOME:-}" ]]; then
    [[ -d "$FLINK_HOME/lib" ]] || die "FLINK_HOME=$FLINK_HOME has no lib/ folder; unset it to use Flink from Maven" 2
    echo "$FLINK_HOME/lib/*"
    return
  fi
  local pom="$ROOT/jobs/flink-dist/pom.xml" out="$DIR/classpath.txt"
  if [[ ! -s "$out" || "$pom" -nt "$out" ]]; then
    echo "flink-cluster: resolving the Flink runtime from Maven (jobs/flink-dist/pom.xml) ..." >&2
    mvn -B -q -f "$pom" dependency:build-classpath -Dmdep.outputFile="$out" > "$DIR/maven.log" 2>&1 \
      || { cat "$DIR/maven.log" >&2; die "could not resolve the Flink runtime with Maven (output above)"; }
  fi
  cat "$out"
}

write_conf() {
  mkdir -p "$CONF" "$LOG" "$DIR/checkpoints" "$DIR/savepoints"
  sed -e "s#file:///var/lib/express-traffic-monitor#file://$DIR#g" \
      -e "s#^rest: {address: localhost, bind-address: localhost, port: 8081}#rest: {address: localhost, bind-address: localhost, port: $REST_PORT}#" \
      -e "s#^  rpc: {address: localhost, port: 6123}#  rpc: {address: localhost, port: $RPC_PORT}#" \
      "$ROOT/config/flink/config.yaml" > "$CONF/config.yaml"
  # FLINK_CONF_EXTRA: more "key: value" lines for this cluster only (e.g. faster heartbeats in a test).
  [[ -z "${FLINK_CONF_EXTRA:-}" ]] || printf '%s\n' "$FLINK_CONF_EXTRA" >> "$CONF/config.yaml"
  cp "$ROOT/config/flink/log4j.properties" "$CONF/log4j.properties"
}

# Each process keeps its local files (RocksDB's instances, blobs, temporary files) in a folder of its own,
# $DIR/work/NAME, deleted once the process has ended. Flink's default is the system's temporary folder, where every
# stopped or killed TaskManager left its RocksDB instances behind. A working or temporary folder set in the
# configuration (config.yaml, FLINK_CONF_EXTRA) is left as set.
work_options() {
  local name="$1"
  if grep -qE '^(io\.tmp\.dirs|process\.([a-z]+\.)?working-dir)[:]|^(io|process):' "$CONF/config.yaml"; then
    return
  fi
  echo "-D process.working-dir=$DIR/work/$name -D io.tmp.dirs=$DIR/work/$name"
}

# Flink's own memory arithmetic for a process: JVM options on the first line, dynamic properties on the second.
resource_params() {
  local kind="$1" cp="$2"
  java "${OPENS[@]}" -cp "$cp" org.apache.flink.runtime.util.bash.BashJavaUtils "$kind" --configDir "$CONF" 2>&1 \
    | grep '^BASH_JAVA_UTILS_EXEC_RESULT:' | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://'
}

launch() {
  local name="$1" main="$2" kind="$3" cp params jvm dynamic
  cp="$(classpath)"
  params="$(resource_params "$kind" "$cp")"
  [[ -n "$params" ]] || die "Flink could not compute the memory of the $name from $CONF/config.yaml"
  jvm="$(echo "$params" | head -1)"
  dynamic="$(echo "$params" | tail -1)"
  # shellcheck disable=SC2086 # jvm and dynamic are lists of options
  # Plugins (file systems, reporters) are read from a distribution's plugins/ folder; without one, an empty folder.
  local plugins="${FLINK_HOME:+$FLINK_HOME/plugins}"
  plugins="${plugins:-$DIR/plugins}"
  mkdir -p "$plugins"
  rm -rf "${DIR:?}/work/$name" # what a process that was not stopped through this script left
  mkdir -p "$DIR/work/$name"
  FLINK_PLUGINS_DIR="$plugins" nohup java "${OPENS[@]}" $jvm \
    -Dlog.file="$LOG/$name.log" -Dlog4j.configurationFile="file:$CONF/log4j.properties" \
    -cp "$cp" "$main" --configDir "$CONF" $dynamic $(work_options "$name") > "$LOG/$name.out" 2>&1 &
  echo $! > "$DIR/$name.pid"
}

rest_up() { curl -s -o /dev/null --max-time 2 "$REST/overview"; }

start_jobmanager() {
  if alive "$DIR/jobmanager.pid"; then
    say "the JobManager is already running (pid $(cat "$DIR/jobmanager.pid"))"
    return
  fi
  if rest_up; then
    die "something already answers on $REST; stop it or set FLINK_REST_PORT"
  fi
  launch jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint GET_JM_RESOURCE_PARAMS
  for _ in $(seq 1 60); do
    if rest_up; then
      say "JobManager started (pid $(cat "$DIR/jobmanager.pid")): $REST, log $LOG/jobmanager.log"
      return
    fi
    alive "$DIR/jobmanager.pid" || die "the JobManager exited at start-up; see $LOG/jobmanager.log and $LOG/jobmanager.out"
    sleep 1
  done
  die "the JobManager did not answer on $REST within 60 s; see $LOG/jobmanager.log"
}

next_index() {
  local n=1
  while alive "$DIR/taskmanager-$n.pid"; do n=$((n + 1)); done
  echo "$n"
}

# Which file a TaskManager's log is and how often it says the TaskManager joined: "inode:count". A new process rolls
# the log over to a new file as it starts, so an earlier process's line in the old file is not taken for its own.
joined() {
  local count
  count="$(grep -c 'Successful registration at resource manager' "$1" 2>/dev/null || true)"
  echo "$(stat -c %i "$1" 2>/dev/null || echo none):${count:-0}"
}

start_taskmanager() {
  local n="${1:-$(next_index)}" before now
  if alive "$DIR/taskmanager-$n.pid"; then
    say "taskmanager-$n is already running (pid $(cat "$DIR/taskmanager-$n.pid"))"
    return
  fi
  rest_up || die "no JobManager answers on $REST; run: jobs/flink-cluster.sh start"
  before="$(joined "$LOG/taskmanager-$n.log")"
  launch "taskmanager-$n" org.apache.flink.runtime.taskexecutor.TaskManagerRunner GET_TM_RESOURCE_PARAMS
  for _ in $(seq 1 60); do
    # Its own log says when it has joined (the JobManager may still count a lost TaskManager for a while).
    now="$(joined "$LOG/taskmanager-$n.log")"
    if (( ${now#*:} > 0 )) && [[ "${now%%:*}" != "${before%%:*}" || ${now#*:} -gt ${before#*:} ]]; then
      say "taskmanager-$n started (pid $(cat "$DIR/taskmanager-$n.pid")), log $LOG/taskmanager-$n.log"
      return
    fi
    alive "$DIR/taskmanager-$n.pid" || die "taskmanager-$n exited at start-up; see $LOG/taskmanager-$n.log and $LOG/taskmanager-$n.out"
    sleep 1
  done
  die "taskmanager-$n did not register with the JobManager within 60 s; see $LOG/taskmanager-$n.log"
}

# Ends a process: SIGTERM and up to 30 s to exit (then SIGKILL), or SIGKILL at once with kill.
end_process() {
  local name="$1" how="$2" pidfile="$DIR/$1.pid" pid
  if ! alive "$pidfile"; then
    rm -f "$pidfile"
    say "$name is not running"
    return
  fi
  pid="$(cat "$pidfile")"
  if [[ "$how" == kill ]]; then
    kill -9 "$pid"
    say "$name killed (kill -9, pid $pid)"
  else
    kill "$pid"
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    if kill -0 "$pid" 2>/dev/null; then
      kill -9 "$pid"
      say "$name did not stop within 30 s and was killed (pid $pid)"
    else
      say "$name stopped (pid $pid)"
    fi
  fi
  while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  rm -f "$pidfile"
  rm -rf "${DIR:?}/work/$name" # its local files; the cluster's state is in its checkpoints and savepoints
}

status() {
  local any=0 f name
  for f in "$DIR"/jobmanager.pid "$DIR"/taskmanager-*.pid; do
    [[ -e "$f" ]] || continue
    name="$(basename "$f" .pid)"
    if alive "$f"; then
      echo "$name: running (pid $(cat "$f")), log $LOG/$name.log"
      any=1
    else
      echo "$name: not running (its pid file was stale and is removed)"
      rm -f "$f"
    fi
  done
  [[ $any == 1 ]] || { echo "no cluster processes run from $DIR"; return 3; }
  if rest_up; then
    { curl -s "$REST/overview"; echo; } | sed -E 's/.*"taskmanagers":([0-9]+).*"slots-total":([0-9]+).*"slots-available":([0-9]+).*"jobs-running":([0-9]+).*/REST API '"${REST//\//\\/}"': \1 TaskManager(s), \2 slots (\3 free), \4 job(s) running/'
  else
    echo "the REST API does not answer on $REST"
  fi
  return 0
}

stop_all() {
  local f
  for f in "$DIR"/taskmanager-*.pid; do
    [[ -e "$f" ]] && end_process "$(basename "$f" .pid)" term
  done
  end_process jobmanager term
}

logs() {
  local which="${1:-}" follow="${2:-}"
  if [[ -z "$which" ]]; then
    ls -1 "$LOG"/*.log 2>/dev/null || echo "no logs in $LOG"
    return
  fi
  [[ "$which" == --follow ]] && { which="jobmanager"; follow="--follow"; }
  local file="$LOG/$which.log"
  [[ -f "$file" ]] || die "no log $file; the logs are: $(ls "$LOG" 2>/dev/null | tr '\n' ' ')" 2
  if [[ "$follow" == --follow ]]; then tail -F "$file"; else cat "$file"; fi
}

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
  exit 2
}

command -v java >/dev/null || die "java is not on the PATH; install Java 17" 2
command -v curl >/dev/null || die "curl is not on the PATH; install it (apt-get install curl)" 2
case "${1:-}" in
  start)
    shift
    tms=1
    while [[ $# -gt 0 ]]; do
      case "$1" in
        --taskmanagers) tms="${2:?--taskmanagers needs a number}"; shift 2 ;;
        *) die "unknown option '$1' for start; use --taskmanagers N" 2 ;;
      esac
    done
    write_conf
    start_jobmanager
    running=0
    for f in "$DIR"/taskmanager-*.pid; do alive "$f" && running=$((running + 1)); done
    for _ in $(seq $((running + 1)) "$tms"); do start_taskmanager; done
    say "up: web UI $REST; submit with jobs/flink-job.sh submit"
    ;;
  status) status ;;
  stop) stop_all ;;
  taskmanager)
    action="${2:-}"; n="${3:-1}"; how="${4:-}"
    [[ "$n" == --kill ]] && { how="--kill"; n=1; }
    case "$action" in
      start) write_conf; start_taskmanager "${3:-}" ;;
      stop) end_process "taskmanager-$n" term ;;
      kill) end_process "taskmanager-$n" kill ;;
      restart)
        end_process "taskmanager-$n" "$([[ "$how" == --kill ]] && echo kill || echo term)"
        write_conf
        start_taskmanager "$n"
        ;;
      *) die "usage: jobs/flink-cluster.sh taskmanager start|stop|kill|restart [N] [--kill]" 2 ;;
    esac
    ;;
  logs) shift; logs "$@" ;;
  -h|--help|help) usage ;;
  *) usage ;;
esac
