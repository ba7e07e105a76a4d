# shellcheck shell=bash
# Shared by scripts/cluster, scripts/submit, scripts/e2e-cluster and scripts/bench-cluster (sourced).
# Where things live:
#   $GRAYLIGHT_CLUSTER_DIR (default: target/cluster)
#     conf/         config.yaml and log4j files: flink-conf/ with this installation's ports and dirs
#     cluster.env   ports of the running cluster (KAFKA_PORT, REST_PORT, ...)
#     pid/          one pid file per process
#     log/          one log per process (jobmanager.log, taskmanager-N.log, kafka.log, *.out)
#     kafka/        the broker's server.properties and data
#     checkpoints/, savepoints/

# Variables here are used by the scripts that source this file.
# shellcheck disable=SC2034
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cluster_dir="${GRAYLIGHT_CLUSTER_DIR:-$root/target/cluster}"
mkdir -p "$cluster_dir"
cluster_dir="$(cd "$cluster_dir" && pwd)"
conf_dir="$cluster_dir/conf"
pid_dir="$cluster_dir/pid"
log_dir="$cluster_dir/log"
java_bin="${JAVA:-java}"
topic_prefix="${GRAYLIGHT_TOPIC_PREFIX:-graylight.}"
# no plugins are used; an existing directory keeps Flink from warning about it
export FLINK_PLUGINS_DIR="$cluster_dir/plugins"
mkdir -p "$FLINK_PLUGINS_DIR"

flink_lib="$root/cluster/flink/target/lib"
flink_cp="$root/cluster/flink/target/graylight-cluster-flink.jar:$flink_lib/*"
kafka_lib="$root/cluster/kafka/target/lib"
kafka_cp="$root/cluster/kafka/target/graylight-cluster-kafka.jar:$kafka_lib/*"
job_jar="$root/jobs/target/graylight-jobs-job.jar"

die() { echo "$(basename "$0"): $*" >&2; exit 1; }
say() { echo "$(basename "$0"): $*" >&2; }

# Builds the cluster classpaths and the job jar on first use (or with GRAYLIGHT_REBUILD=1).
ensure_built() {
  if [[ ! -d "$flink_lib" || ! -d "$kafka_lib" || ! -f "$job_jar" || "${GRAYLIGHT_REBUILD:-0}" == "1" ]]; then
    say "building the jars and the cluster classpaths (first use; takes a minute)..."
    (cd "$root" && mvn -B -q -ntp -DskipTests package) >&2
  fi
}

load_env() {
  [[ -f "$cluster_dir/cluster.env" ]] || die "no cluster under $cluster_dir (scripts/cluster up)"
  # shellcheck disable=SC1091
  source "$cluster_dir/cluster.env"
  TOPIC_PREFIX="${TOPIC_PREFIX:-$topic_prefix}"
  bootstrap="127.0.0.1:$KAFKA_PORT"
  rest="http://127.0.0.1:$REST_PORT"
}

alive() { local f="$pid_dir/$1.pid"; [[ -f "$f" ]] && kill -0 "$(cat "$f")" 2>/dev/null; }

# A free loopback port, refused by a connect attempt and not in use by a listener of ours already
# chosen ($*). Drawn below the kernel's ephemeral range (ip_local_port_range): a port from inside
# it can be handed to some outgoing connection between this check and the listener's bind (the
# JobManager once lost its REST port that way).
free_port() {
  local port low
  low="$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)"
  (( low > 11024 )) || low=32768
  for _ in $(seq 200); do
    port=$((10000 + RANDOM % (low - 10000)))
    [[ " $* " == *" $port "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"; return 0
    fi
  done
  die "no free port found"
}

# The JVM options of env.java.opts.all in config.yaml (a folded block), so that our launchers use
# exactly what Flink's own bin/ scripts would.
flink_java_opts() {
  awk '
    /^[[:space:]]*all:[[:space:]]*>-?[[:space:]]*$/ { inblock = 1; match($0, /^[[:space:]]*/); indent = RLENGTH; next }
    inblock { match($0, /^[[:space:]]*/); if (RLENGTH <= indent || $0 ~ /^[[:space:]]*$/) { inblock = 0 } else { gsub(/^[[:space:]]+/, ""); printf "%s ", $0 } }
  ' "$conf_dir/config.yaml"
}

# Flink's CLI (what `flink` runs): CliFrontend with this cluster's conf dir.
flink_cli() {
  if [[ -n "${FLINK_HOME:-}" ]]; then
    FLINK_CONF_DIR="$conf_dir" "$FLINK_HOME/bin/flink" "$@"
  else
    # shellcheck disable=SC2046
    FLINK_CONF_DIR="$conf_dir" "$java_bin" -Xmx512m $(flink_java_opts) \
      -Dlog.file="$log_dir/flink-cli.log" -Dlog4j.configurationFile="file:$conf_dir/log4j-cli.properties" \
      -cp "$flink_cp" org.apache.flink.client.cli.CliFrontend "$@" < /dev/null
  fi
}

# GET on the Flink REST API.
rest_get() { curl -sf --max-time 10 "$rest$1"; }

# Seconds since the epoch with fractions.
now() { date +%s.%N; }
