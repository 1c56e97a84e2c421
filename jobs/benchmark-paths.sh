#!/usr/bin/env bash
# The user's paths of the benchmark (jobs/benchmark.sh paths): replays of one and four files through the runnable jar,
# a Kafka catch-up, each beside the Flink SQL baseline on the same input, and the latency at half load on the Kafka
# path. Appends one JSON line per run to the results file given (or a new one) and prints the table.
# Environment: PARCELS (450000), REPEAT (1), BENCH_KAFKA_PORT (19092), LATENCY_SECONDS (120), LATENCY_RATE (default:
# half the best catch-up rate), FLINK_OPTIONS (extra "--flink.KEY VALUE" pairs for every job of the run, the SQL
# baseline's too, to measure a setting against the configurations', e.g. the RocksDB write buffers)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PARCELS=${PARCELS:-450000}
REPEAT=${REPEAT:-1}
RESULTS=${1:-target/benchmark/results-$(date -u +%Y%m%dT%H%M%SZ).jsonl}
JAR=target/express-traffic-monitor.jar
BENCH=target/benchmark
mkdir -p "$BENCH"
[ -f "$JAR" ] || mvn -B -q package -DskipTests
CP="target/bench/classes:$(cat target/bench/benchmark.classpath)"
OPENS=()
for p in java.util java.lang java.lang.invoke java.nio sun.nio.ch java.io java.net java.util.concurrent java.time java.text; do
  OPENS+=("--add-opens=java.base/$p=ALL-UNNAMED")
done
# Every JVM of a run, the job's and the SQL baseline's alike, with the Java options a user's run gets from jobs/.
JVM=(@config/jvm.options)
JVM_XX=$(grep -E '^-XX' config/jvm.options | paste -sd' ') # as each result records them
sqlbench() {
  java "${JVM[@]}" "${OPENS[@]}" -cp "$CP" com.expressmonitor.benchmark.MonitorBenchmark --results "$RESULTS" "$@" 2>&1 \
    | grep -E '^(RESULT|Exception|Caused by)' || true
}
# The state backend as config/express-monitor.yaml sets it, for the SQL baseline too.
ROCKSDB=(--backend rocksdb --flink.taskmanager.memory.managed.size 1g --flink.state.backend.rocksdb.use-bloom-filter true
         --flink.state.backend.rocksdb.thread.num 16
         --flink.state.backend.rocksdb.compression.per.level "NO_COMPRESSION;SNAPPY_COMPRESSION"
         --flink.state.backend.rocksdb.timer-service.factory ROCKSDB --flink.execution.checkpointing.incremental true)
# The jobs run with config/express-monitor.yaml: their checkpoints go under $BENCH, and so does the log of the
# changelog state backend when FLINK_OPTIONS turns it on (see Configuration).
STORAGE=(--flink.execution.checkpointing.dir "file://$ROOT/$BENCH/checkpoints"
         --flink.state.changelog.dstl.dfs.base-path "file://$ROOT/$BENCH/changelog")
read -r -a EXTRA_FLINK <<< "${FLINK_OPTIONS:-}"
ROCKSDB+=("${EXTRA_FLINK[@]}")

# The day as one file and as four files (each a quarter of the parcels, in time order).
DAY1=$BENCH/day-$PARCELS-1.jsonl
DAY4=$BENCH/day-$PARCELS-4
gen() { java -cp "$JAR" com.expressmonitor.tools.GenerateToFile --config config/demo.yaml --parcels "$PARCELS" \
  --day 2026-11-11 --seed 11 "$@"; }
[ -f "$DAY1" ] || gen --out "$DAY1"
[ -d "$DAY4" ] || gen --splits 4 --out "$DAY4"

# A run of the runnable jar: events/s over the job's own run time (its "finished in" line), CPU of the whole process,
# and the part of it the JIT compiler's threads took (a fixed cost of a fresh JVM, most of it in the first 20 s: a
# large share of a run this short, little of a long catch-up).
jar_run() {
  local label="$1"; shift
  local err=$BENCH/run.err out=$BENCH/run.out
  local tm=$BENCH/run.time tck jit=0 now pid
  tck=$(getconf CLK_TCK)
  TIMEFORMAT='%R %U %S'
  { time java "${JVM[@]}" -jar "$JAR" --config config/express-monitor.yaml --parallelism 2 --progress false \
      "${STORAGE[@]}" "${EXTRA_FLINK[@]}" "$@" > "$out" 2> "$err"; } \
      2> "$tm" &
  local timed=$!
  sleep 0.5
  pid=$(pgrep -P "$timed" java || true)
  # The compiler threads' CPU (utime + stime, in clock ticks), sampled once a second until the process ends (nearly
  # all of it is spent in the first 20 s). Sampled five times a second, the sampling itself
  # took 4-21 % off the replay's events/s in four alternating pairs: it runs on the same two cores.
  while [ -n "$pid" ] && [ -r "/proc/$pid/stat" ]; do
    now=$(cat /proc/"$pid"/task/*/stat 2>/dev/null | awk '/\((C1|C2) CompilerThre\)/ {
        for (i = 1; i <= NF; i++) if ($i ~ /\)$/) break; s += $(i + 12) + $(i + 13) } END { print s + 0 }' || true)
    [ "${now:-0}" -gt "$jit" ] && jit=$now
    sleep 1
  done
  wait "$timed" || { cat "$err" >&2; return 0; }
  local input seconds cpu
  input=$(grep -oE 'input [0-9,]+' "$out" | tr -d 'input ,')
  seconds=$(grep -oE 'finished in [0-9.]+ s' "$err" | grep -oE '[0-9.]+')
  cpu=$(awk '{printf "%.1f", $2 + $3}' "$tm")
  local line
  line=$(awk -v l="$label" -v n="$input" -v s="$seconds" -v c="$cpu" -v j="$jit" -v t="$tck" -v w="$(cut -d' ' -f1 "$tm")" -v x="$JVM_XX" -v f="${FLINK_OPTIONS:-}" 'BEGIN {
    j /= t
    printf "{\"label\":\"%s\",\"job\":\"pipeline\",\"via\":\"runnable jar\",\"javaOptions\":\"%s\",\"flinkOptions\":\"%s\",\"events\":%d,\"seconds\":%.2f,\"processWallSeconds\":%.2f,\"eventsPerSecond\":%d,\"cpuSeconds\":%.1f,\"eventsPerCpuSecond\":%d,\"jitCpuSeconds\":%.1f,\"eventsPerCpuSecondWithoutJit\":%d}",
      l, x, f, n, s, w, n / s, c, n / c, j, n / (c - j) }')
  echo "RESULT $line"
  echo "$line" >> "$RESULTS"
}

for i in $(seq "$REPEAT"); do
  jar_run replay-1-file --source "file:$DAY1" --sink "dir:$BENCH/out" --overwrite
  jar_run replay-4-files --source "file:$DAY4" --sink "dir:$BENCH/out" --overwrite
  sqlbench --label sql-replay-1-file --job sql --input "file:$DAY1" "${ROCKSDB[@]}"
  sqlbench --label sql-replay-4-files --job sql --input "file:$DAY4" "${ROCKSDB[@]}"
done

# Kafka catch-up: a local broker on its own port and folder, the day in a 4-partition topic, filled once.
export KAFKA_DIR=$ROOT/$BENCH/kafka KAFKA_PORT=${BENCH_KAFKA_PORT:-19092} KAFKA_CONTROLLER_PORT=$(( ${BENCH_KAFKA_PORT:-19092} + 1 ))
export BOOTSTRAP=localhost:$KAFKA_PORT
TOPICS=(--kafka.topics.scan-events bench.scans --kafka.topics.district-metrics bench.metrics --kafka.topics.alerts bench.alerts
        --kafka.topics.dead-letter bench.dead-letter --kafka.topics.late-events bench.late)
jobs/start-kafka.sh --partitions 4 > /dev/null
trap 'jobs/stop-kafka.sh > /dev/null' EXIT
jobs/create-topics.sh --partitions 4 "${TOPICS[@]}" > /dev/null
if [ ! -f "$KAFKA_DIR/bench.filled" ]; then
  jobs/replay-to-kafka.sh "$DAY1" --kafka.topics.scan-events bench.scans
  touch "$KAFKA_DIR/bench.filled"
  # A catch-up straight after the fill ran about a quarter slower (the broker still writing out what it had just
  # received): let it settle, so that the job and SQL read the topic alike.
  sleep 30
fi
for i in $(seq "$REPEAT"); do
  g=catchup-$(date +%s%N)
  jar_run kafka-catch-up --source kafka --sink kafka --kafka.bootstrap-servers "$BOOTSTRAP" --kafka.group-id "$g" \
    --kafka.bounded true --kafka.starting-offsets earliest "${TOPICS[@]}"
  sqlbench --label sql-kafka-catch-up --job sql --input kafka "${ROCKSDB[@]}" --monitor.kafka.bootstrap-servers "$BOOTSTRAP" \
    --monitor.kafka.group-id "sql-$g" --monitor.kafka.topics.scan-events bench.scans
done

# Latency at half the catch-up's load on the Kafka path: the job runs on a fresh topic while a simulated day, written
# to a file beforehand, is replayed into it at that rate; then the outputs' Kafka timestamps are compared with the
# moments the input's watermark passed their windows (KafkaLatency). Simulating while sending took 0.72 of a core at
# 50,000 events/s, which the scanners of a real network do not take from the job; a replay takes less. Besides the p99
# of the whole run, KafkaLatency reports a steady one, after the job's first 45 s (it starts cold, behind the topic).
best=$(grep '"label":"kafka-catch-up"' "$RESULTS" | sed -E 's/.*"eventsPerSecond":([0-9]+).*/\1/' | sort -n | tail -1)
RATE=${LATENCY_RATE:-$((best / 2))}
LIVE_SECONDS=${LATENCY_SECONDS:-120}
LIVE=bench.live-$(date +%s)
LIVE_TOPICS=(--kafka.topics.scan-events "$LIVE" --kafka.topics.district-metrics "$LIVE.metrics" --kafka.topics.alerts "$LIVE.alerts"
             --kafka.topics.dead-letter "$LIVE.dead-letter" --kafka.topics.late-events "$LIVE.late")
jobs/create-topics.sh --partitions 4 "${LIVE_TOPICS[@]}" > /dev/null
LIVE_DAY=$BENCH/live-day.jsonl
java -cp "$JAR" com.expressmonitor.tools.GenerateToFile --config config/demo.yaml --parcels $(( RATE * LIVE_SECONDS * 10 / 83 )) \
  --day 2026-11-11 --seed 5 --out "$LIVE_DAY" > /dev/null
java "${JVM[@]}" -jar "$JAR" --config config/express-monitor.yaml --parallelism 2 --progress false \
  --source kafka --sink kafka --kafka.bootstrap-servers "$BOOTSTRAP" --kafka.group-id "$LIVE" \
  --kafka.starting-offsets earliest "${LIVE_TOPICS[@]}" \
  "${STORAGE[@]}" "${EXTRA_FLINK[@]}" \
  > "$BENCH/live.out" 2> "$BENCH/live.err" &
monitor=$!
sleep 15
jobs/replay-to-kafka.sh "$LIVE_DAY" --rate "$RATE" --kafka.topics.scan-events "$LIVE" > /dev/null
rm -f "$LIVE_DAY"
sleep 25 # two checkpoints: what the closed windows wrote is committed
kill "$monitor"; wait "$monitor" || true
rm -rf "$BENCH/changelog" # with the changelog on, the stopped job's log of state changes: hundreds of MB
java -cp "$CP" com.expressmonitor.benchmark.KafkaLatency --bootstrap "$BOOTSTRAP" --input "$LIVE" \
  --outputs "$LIVE.metrics,$LIVE.alerts" --label "latency-kafka-half-load" --results "$RESULTS"

java -cp "$CP" com.expressmonitor.benchmark.MonitorBenchmark --summary "$RESULTS"
