#!/usr/bin/env bash
# Starts a single-node Kafka 4.2 broker (KRaft, broker and controller in one process) on localhost, without Docker
# and without a Kafka download: the broker's classes come from Maven Central through jobs/kafka-broker/pom.xml.
# Then creates the monitor's topics (input, the four outputs, the alert rules' control and results topics).
#
#   jobs/start-kafka.sh [--partitions N]      (env: KAFKA_DIR, KAFKA_PORT, KAFKA_CONTROLLER_PORT, KAFKA_HEAP)
#
# Data stays in $KAFKA_DIR between runs; jobs/stop-kafka.sh stops the broker, jobs/stop-kafka.sh --clean also
# deletes the data.
set -euo pipefail
source "$(dirname "$0")/kafka-common.sh"
PARTITIONS=4
while [[ $# -gt 0 ]]; do
  case "$1" in
    --partitions) PARTITIONS="$2"; shift 2 ;;
    *) echo "usage: $0 [--partitions N]" >&2; exit 2 ;;
  esac
done

mkdir -p "$KAFKA_DIR"
if [[ -f "$KAFKA_DIR/kafka.pid" ]] && kill -0 "$(cat "$KAFKA_DIR/kafka.pid")" 2>/dev/null; then
  # The running broker listens where it was started; a different KAFKA_PORT now would wait for a broker that is not there.
  running=$(sed -n 's#^advertised\.listeners=PLAINTEXT://[^:]*:\([0-9]*\)$#\1#p' "$KAFKA_DIR/server.properties" 2>/dev/null || true)
  if [[ -n "$running" && "$running" != "$KAFKA_PORT" ]]; then
    echo "Kafka of $KAFKA_DIR is already running (pid $(cat "$KAFKA_DIR/kafka.pid")) on port $running, not $KAFKA_PORT:" \
      "set KAFKA_PORT=$running, or stop it first with jobs/stop-kafka.sh" >&2
    exit 2
  fi
  echo "Kafka is already running (pid $(cat "$KAFKA_DIR/kafka.pid")) on $BOOTSTRAP"
else
  echo "resolving the broker's classpath from Maven ..."
  mvn -B -q -f "$ROOT/jobs/kafka-broker/pom.xml" dependency:build-classpath \
      -Dmdep.outputFile="$KAFKA_DIR/classpath.txt" >/dev/null
  CP="$(cat "$KAFKA_DIR/classpath.txt")"

  cat > "$KAFKA_DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@localhost:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://localhost:$KAFKA_PORT,CONTROLLER://localhost:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://localhost:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_DIR/data
num.partitions=$PARTITIONS
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
# Replays and simulated days carry old event times: never delete by age.
log.retention.ms=-1
PROPS

  cat > "$KAFKA_DIR/log4j2.properties" <<PROPS
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = File
appender.file.name = File
appender.file.type = File
appender.file.fileName = $KAFKA_DIR/server.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
PROPS

  if [[ ! -f "$KAFKA_DIR/data/meta.properties" ]]; then
    CLUSTER_ID="$(java -cp "$CP" kafka.tools.StorageTool random-uuid)"
    java -cp "$CP" -Dlog4j2.configurationFile="$KAFKA_DIR/log4j2.properties" kafka.tools.StorageTool format \
        --cluster-id "$CLUSTER_ID" --config "$KAFKA_DIR/server.properties" --ignore-formatted
  fi

  nohup java -Xmx"${KAFKA_HEAP:-1g}" -cp "$CP" -Dlog4j2.configurationFile="$KAFKA_DIR/log4j2.properties" \
      kafka.Kafka "$KAFKA_DIR/server.properties" > "$KAFKA_DIR/kafka.out" 2>&1 &
  echo $! > "$KAFKA_DIR/kafka.pid"
  echo "Kafka starting (pid $(cat "$KAFKA_DIR/kafka.pid")), log in $KAFKA_DIR/server.log"
fi

ensure_jar
for _ in $(seq 1 60); do
  if run_tool CreateTopics --partitions "$PARTITIONS" 2>/dev/null; then
    echo "Kafka is up on $BOOTSTRAP"
    exit 0
  fi
  if ! kill -0 "$(cat "$KAFKA_DIR/kafka.pid")" 2>/dev/null; then
    echo "Kafka did not start; see $KAFKA_DIR/kafka.out and $KAFKA_DIR/server.log" >&2
    exit 1
  fi
  sleep 2
done
echo "Kafka did not answer on $BOOTSTRAP within two minutes; see $KAFKA_DIR/server.log" >&2
exit 1
