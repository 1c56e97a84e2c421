#!/usr/bin/env bash
# Starts Prometheus (Debian package 'prometheus') on localhost:9090 with the project's scrape config and rules.
# Run the monitor with the Prometheus reporter on, e.g.:
#   java -jar target/express-traffic-monitor.jar --source generator --generator.parcels 600000 \
#     --flink.metrics.reporter.prom.factory.class org.apache.flink.metrics.prometheus.PrometheusReporterFactory \
#     --flink.metrics.reporter.prom.port 9249
# then import config/grafana/express-traffic-monitor.json into Grafana with this Prometheus as data source.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v prometheus >/dev/null || { echo "prometheus is not installed (apt-get install prometheus)" >&2; exit 1; }
data=${PROMETHEUS_DIR:-/tmp/express-monitor-prometheus}
mkdir -p "$data"
promtool check config config/prometheus/prometheus.yml
exec prometheus --config.file=config/prometheus/prometheus.yml --storage.tsdb.path="$data" \
  --web.listen-address=127.0.0.1:9090
