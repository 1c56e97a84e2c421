#!/usr/bin/env bash
# Starts Prometheus on localhost:9090 with the project's scrape configuration and rules (config/prometheus), after
# checking them with promtool, for a monitor running on this machine:
#   - the local Flink cluster (jobs/flink-cluster.sh start, jobs/flink-job.sh submit; config/flink/config.yaml opens
#     the metric ports 9249-9252),
#   - or a run of the runnable jar with the reporter on port 9249, e.g. Kafka in and out (jobs/run-kafka.sh):
#       jobs/run-kafka.sh --flink.metrics.reporter.prom.factory.class org.apache.flink.metrics.prometheus.PrometheusReporterFactory \
#         --flink.metrics.reporter.prom.port 9249 \
#         --flink.metrics.reporter.prom.scope.variables.excludes 'job_id;task_attempt_id;task_attempt_num;tm_id'
# Then load config/grafana/provisioning into Grafana (see the message printed at start and Monitoring in the docs).
#
# Usage: jobs/monitoring.sh [--install] [--check] [--port PORT] [--data DIR]
#   --install    install Debian's prometheus package (prometheus and promtool) if they are missing
#   --check      only check the configuration and run the rule unit tests, then exit
#   --port PORT  listen on PORT instead of 9090 (the Grafana data source expects 9090)
#   --data DIR   keep Prometheus's data in DIR (default: $PROMETHEUS_DIR or /tmp/express-monitor-prometheus)
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n '/^# Usage:/,/^set -euo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; }

port=9090
data=${PROMETHEUS_DIR:-/tmp/express-monitor-prometheus}
install=false
check=false
while [ $# -gt 0 ]; do
  case "$1" in
    --install) install=true ;;
    --check) check=true ;;
    --port) [ $# -ge 2 ] || { usage >&2; exit 2; }; port=$2; shift ;;
    --data) [ $# -ge 2 ] || { usage >&2; exit 2; }; data=$2; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

if ! command -v prometheus >/dev/null || ! command -v promtool >/dev/null; then
  if $install; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get install -y prometheus
    echo "Note: on a system with systemd, Debian's package also starts its own Prometheus service on port 9090;"
    echo "stop it (sudo systemctl disable --now prometheus) or run this script with --port 9091."
  else
    echo "prometheus is not installed. On Debian or Ubuntu: sudo apt-get install prometheus (or $0 --install);" >&2
    echo "elsewhere take the release for your system from https://prometheus.io/download/." >&2
    exit 1
  fi
fi

promtool check config config/prometheus/prometheus.yml
promtool test rules config/prometheus/tests/*.yml
$check && exit 0

if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "port $port is taken (Debian's own Prometheus service? sudo systemctl stop prometheus), or use --port." >&2
  exit 1
fi
mkdir -p "$data"
cat <<EOT
Prometheus: http://localhost:$port (targets: Status > Targets; alerts: Alerts). Data in $data.

Grafana is not packaged by Debian: install it from https://grafana.com/grafana/download or run its container, and
let it load the data source and the dashboard from config/grafana/provisioning:
  GF_PATHS_PROVISIONING=$PWD/config/grafana/provisioning grafana server --homepath /usr/share/grafana
  docker run --rm --network host -v $PWD/config/grafana/provisioning:/etc/grafana/provisioning:ro \\
    -v $PWD/config/grafana/dashboards:/etc/grafana/dashboards:ro grafana/grafana
then open http://localhost:3000, folder "Express Traffic Monitor". The data source points at http://localhost:9090.
EOT
exec prometheus --config.file=config/prometheus/prometheus.yml --storage.tsdb.path="$data" \
  --web.listen-address="127.0.0.1:$port"
