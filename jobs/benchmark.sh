#!/usr/bin/env bash
# Throughput, CPU, latency, memory and state-size benchmark of the monitoring job, and its Flink SQL baseline,
# on an embedded mini cluster (one JVM per configuration). Results: one JSON line per run in target/benchmark/.
#
# Usage: jobs/benchmark.sh [quick | hot | paths]
#   quick  the main RocksDB and heap runs and one latency run
#   hot    the main RocksDB run, then the same day with HOT_SCANS scans of one parcel mixed in (default 1,000,000)
#   paths  the user's paths, each beside the Flink SQL baseline on the same path: the day replayed from one file and
#          from four files through the runnable jar (config/express-monitor.yaml, dir: output), and a Kafka catch-up
#          (a local broker, the day in a 4-partition topic, read from the earliest offsets as a bounded run, written
#          exactly once to Kafka); then the latency at half load on the Kafka path
# Environment (all optional):
#   PARCELS=450000     parcels of the simulated Double-11 day (about 8.3 scans each), generated once and cached
#   REPEAT=1           runs of each throughput configuration (report the best and the median)
#   SQL_MINIBATCH_EVENTS=300000   events read by the (slow) mini-batch SQL run
#   HEAP=6g            JVM heap of each run (the input is held in memory: 806 MB for 450,000 parcels)
#   LATENCY_RATE=      events/s of the latency run (default: half the best RocksDB throughput just measured)
set -euo pipefail
cd "$(dirname "$0")/.."
PARCELS=${PARCELS:-450000}
REPEAT=${REPEAT:-1}
SQL_MINIBATCH_EVENTS=${SQL_MINIBATCH_EVENTS:-300000}
HEAP=${HEAP:-6g}
QUICK=${1:-}

mvn -B -q -Pbenchmark -DskipTests compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench/benchmark.classpath -Dmdep.includeScope=compile
CP="target/bench/classes:$(cat target/bench/benchmark.classpath)"
[ "$QUICK" = paths ] && exec jobs/benchmark-paths.sh
OPENS=""
for p in java.util java.lang java.lang.invoke java.nio sun.nio.ch java.io java.net java.util.concurrent java.time java.text; do
  OPENS="$OPENS --add-opens=java.base/$p=ALL-UNNAMED"
done
bench() {
  java -XX:+UseParallelGC -Xms"$HEAP" -Xmx"$HEAP" $OPENS -cp "$CP" com.expressmonitor.benchmark.MonitorBenchmark "$@"
}

mkdir -p target/benchmark
# One input partition (split) per source subtask: a reader that reads two partitions one after the other would
# let the first one's watermark run ahead of the second one's records.
DATA=target/benchmark/scans-$PARCELS-2.bin
DATA1=target/benchmark/scans-$PARCELS-1.bin
[ -f "$DATA" ] || bench --generate "$PARCELS" --data "$DATA" --splits 2
[ -f "$DATA1" ] || bench --generate "$PARCELS" --data "$DATA1" --splits 1
RESULTS=target/benchmark/results-$(date -u +%Y%m%dT%H%M%SZ).jsonl
echo "results: $RESULTS"

# State backends as a competent operator would set them up for this job (see the README, Performance).
ROCKSDB=(--backend rocksdb --flink.taskmanager.memory.managed.size 1g
         --flink.state.backend.rocksdb.use-bloom-filter true
         --flink.state.backend.rocksdb.thread.num 16
         --flink.state.backend.rocksdb.compression.per.level "NO_COMPRESSION;SNAPPY_COMPRESSION"
         --flink.state.backend.rocksdb.timer-service.factory ROCKSDB
         --flink.execution.checkpointing.incremental true)
HASHMAP=(--backend hashmap)

run() {
  bench --data "$DATA" --results "$RESULTS" "$@" 2>&1 | grep -E '^(RESULT|Exception|Caused by)' || true
}

if [ "$QUICK" = hot ]; then
  HOT_SCANS=${HOT_SCANS:-1000000}
  DATAHOT=target/benchmark/scans-$PARCELS-2-hot$HOT_SCANS.bin
  [ -f "$DATAHOT" ] || bench --generate "$PARCELS" --data "$DATAHOT" --splits 2 --hot-scans "$HOT_SCANS"
  for i in $(seq "$REPEAT"); do
    run --label pipeline-rocksdb-p2 "${ROCKSDB[@]}" --parallelism 2
    run --label pipeline-rocksdb-p2-hot "${ROCKSDB[@]}" --parallelism 2 --data "$DATAHOT"
  done
  bench --summary "$RESULTS"
  exit 0
fi

for i in $(seq "$REPEAT"); do
  run --label pipeline-rocksdb-p2 "${ROCKSDB[@]}" --parallelism 2
  run --label pipeline-hashmap-p2 "${HASHMAP[@]}" --parallelism 2
  [ "$QUICK" = quick ] || run --label sql-rocksdb-p2 "${ROCKSDB[@]}" --parallelism 2 --job sql --minibatch false
done
if [ "$QUICK" != quick ]; then
  run --label pipeline-rocksdb-p1 "${ROCKSDB[@]}" --parallelism 1 --data "$DATA1"
  # Heap timers and full snapshots: the checkpoint then measures the logical state per parcel (keys and timers).
  run --label pipeline-rocksdb-heaptimers-p2 "${ROCKSDB[@]}" --parallelism 2 \
      --flink.state.backend.rocksdb.timer-service.factory HEAP --flink.execution.checkpointing.incremental false
    # State per parcel: canonical savepoints every 4 s (they pause the job, so this is not a throughput run).
  run --label state-rocksdb-p2 "${ROCKSDB[@]}" --parallelism 2 --savepoint-seconds 4
  # Two-phase aggregation needs mini-batch; this setting is slow, so it reads fewer events.
  run --label sql-rocksdb-p2-minibatch-twophase "${ROCKSDB[@]}" --parallelism 2 --job sql --minibatch true \
      --two-phase true --limit "$SQL_MINIBATCH_EVENTS"
fi

# Latency at half the sustained load: the sources are rate-limited.
if [ -z "${LATENCY_RATE:-}" ]; then
  best=$(grep '"label":"pipeline-rocksdb-p2"' "$RESULTS" | sed -E 's/.*"eventsPerSecond":([0-9]+).*/\1/' | sort -n | tail -1)
  LATENCY_RATE=$((best / 2))
fi
run --label latency-rocksdb-p2 "${ROCKSDB[@]}" --parallelism 2 --rate "$LATENCY_RATE"
[ "$QUICK" = quick ] || run --label latency-hashmap-p2 "${HASHMAP[@]}" --parallelism 2 --rate "$LATENCY_RATE"

bench --summary "$RESULTS"
