#!/usr/bin/env bash
# Runs a cluster of N engine nodes (default 3) on this machine, with everything it needs started from scratch in a
# temporary directory: PostgreSQL (camera ownership, the shared outbox), Redis (Orleans' membership), a mosquitto
# broker, and an inventory of 2×N file cameras looping media/vtest.avi that the nodes share among themselves.
#   tools/cluster-demo.sh [N]
# Ctrl+C (or SIGTERM) stops the nodes first, so that they hand their cameras over and drain, then the stores and the
# broker, removes the temporary directory and exits 0. Ports can be changed with the variables below.
set -euo pipefail
cd "$(dirname "$0")/.."

# Not the packages' default ports (5432, 6379, 1883): installing postgresql, redis-server or mosquitto starts a
# service on those where systemd runs, and the README's Quick start uses 1883.
postgres_port=${CLUSTER_DEMO_POSTGRES_PORT:-55432}
redis_port=${CLUSTER_DEMO_REDIS_PORT:-56379}
mqtt_port=${CLUSTER_DEMO_MQTT_PORT:-51883}
# Node i serves HTTP on HTTP_PORT+i-1 and talks to the other silos on SILO_PORT+i-1.
http_port=${CLUSTER_DEMO_HTTP_PORT:-9464}
silo_port=${CLUSTER_DEMO_SILO_PORT:-11111}
# The load: cameras per node, their detection rate, and the model (NanoDet by default: a fraction of YOLOv5s's CPU,
# for N nodes on a small machine). benchmarks/cluster-soak.sh raises them until every detector is busy.
cameras_per_node=${CLUSTER_DEMO_CAMERAS_PER_NODE:-2}
detect_fps=${CLUSTER_DEMO_DETECT_FPS:-2}
model=${CLUSTER_DEMO_MODEL:-models/nanodet-m-416.onnx}
nodes=${1:-3}

say() { echo "cluster-demo: $*"; }
fail() { echo "cluster-demo: $*" >&2; exit 1; }

[[ $nodes =~ ^[1-9][0-9]?$ ]] && [ "$nodes" -le 20 ] || fail "N must be a number of nodes from 1 to 20 (was '$nodes'): tools/cluster-demo.sh 3"
[[ $cameras_per_node =~ ^[1-9][0-9]?$ ]] || fail "CLUSTER_DEMO_CAMERAS_PER_NODE must be 1 to 99 (was '$cameras_per_node')"
[[ $detect_fps =~ ^[1-9][0-9]?$ ]] || fail "CLUSTER_DEMO_DETECT_FPS must be 1 to 99 (was '$detect_fps')"
[ -f "$model" ] || fail "CLUSTER_DEMO_MODEL: no model at '$model' (models/ has yolov5s-640.onnx and nanodet-m-416.onnx)"
for pair in CLUSTER_DEMO_POSTGRES_PORT:postgres_port CLUSTER_DEMO_REDIS_PORT:redis_port CLUSTER_DEMO_MQTT_PORT:mqtt_port \
  CLUSTER_DEMO_HTTP_PORT:http_port CLUSTER_DEMO_SILO_PORT:silo_port; do
  name=${pair#*:}
  [[ ${!name} =~ ^[1-9][0-9]{0,4}$ ]] && [ "${!name}" -le $((65536 - nodes)) ] \
    || fail "${pair%%:*} must be a TCP port from 1 to $((65536 - nodes)) (was '${!name}')"
done

# Whether something accepts connections on 127.0.0.1:$1 (bash's /dev/tcp: no client program needed).
listening() { (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null; }

# Every port is checked before anything starts: a busy one would otherwise show up as a node or store that fails later.
check_free() {
  if listening "$1"; then fail "port $1 ($2) is in use: stop what listens there, or set $3 to another port"; fi
}
check_free "$postgres_port" PostgreSQL CLUSTER_DEMO_POSTGRES_PORT
check_free "$redis_port" Redis CLUSTER_DEMO_REDIS_PORT
check_free "$mqtt_port" MQTT CLUSTER_DEMO_MQTT_PORT
for ((i = 1; i <= nodes; i++)); do
  check_free $((http_port + i - 1)) "node-$i's HTTP" CLUSTER_DEMO_HTTP_PORT
  check_free $((silo_port + i - 1)) "node-$i's silo" CLUSTER_DEMO_SILO_PORT
done

. tools/apt-packages.sh
# ffmpeg decodes every camera; OpenCV's native library needs GTK 3 at load time; mosquitto: the broker;
# mosquitto-clients: mosquitto_sub, to watch the alerts; redis-server and postgresql: the cluster's stores;
# nodejs and npm: building the engine installs the console's Leaflet from npm (src/Host/Console.targets).
apt_packages ffmpeg libgtk-3-0 mosquitto mosquitto-clients redis-server postgresql nodejs npm

# The newest PostgreSQL installed: its programs are not on PATH, but under /usr/lib/postgresql/VERSION/bin.
postgres_bin=
newest=0
for candidate in /usr/lib/postgresql/*/bin; do
  version=${candidate#/usr/lib/postgresql/}
  version=${version%%/*}
  major=${version%%.*}
  if [[ $major =~ ^[0-9]+$ ]] && [ -x "$candidate/postgres" ] && [ "$major" -gt "$newest" ]; then
    newest=$major
    postgres_bin=$candidate
  fi
done
[ -n "$postgres_bin" ] || fail "no PostgreSQL server under /usr/lib/postgresql/*/bin (the Debian package postgresql installs one)"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
say "building the engine..."
dotnet build src/Host/Surveillance.Host.csproj -c Release -r linux-x64 --self-contained false -v quiet -nologo >&2
engine=src/Host/bin/Release/net10.0/linux-x64/Surveillance.Host.dll
say "built $engine"

dir=$(mktemp -d -t surveillance-cluster-XXXXXX)
declare -A names=() logs=() # pid -> what it is and where it logs, for every process started here
node_pids=()
postgres_pid= redis_pid= mqtt_pid=

# The last lines of a log, for a process that failed (the directory, and the log, are removed on exit).
show_log() {
  local -a lines=()
  [ -f "$1" ] && mapfile -t lines < "$1"
  echo "--- last lines of $1:" >&2
  [ ${#lines[@]} -eq 0 ] || printf '%s\n' "${lines[@]: -30}" >&2
}

# Signals the processes given ($1: the signal) and waits for them, up to $2 seconds; then they are killed, so that
# the demo's own stop is bounded. bash reaps its children as they end, so `kill -0` fails once one has.
stop() {
  local signal=$1 seconds=$2 pid
  shift 2
  [ $# -gt 0 ] || return 0
  kill "-$signal" "$@" 2> /dev/null || true
  local deadline=$((SECONDS + seconds))
  for pid in "$@"; do
    while kill -0 "$pid" 2> /dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
    if kill -0 "$pid" 2> /dev/null; then
      echo "cluster-demo: ${names[$pid]} did not stop within ${seconds}s; killing it" >&2
      kill -KILL "$pid" 2> /dev/null || true
    fi
    wait "$pid" 2> /dev/null || true
  done
}

running() {
  local pid alive=()
  for pid in "$@"; do [ -n "$pid" ] && kill -0 "$pid" 2> /dev/null && alive+=("$pid"); done
  [ ${#alive[@]} -eq 0 ] || printf '%s\n' "${alive[@]}"
}

cleanup() {
  set +e
  # A second Ctrl+C must not cut the drain short; the stop is bounded anyway. Nor may a reader of our output that
  # went with the Ctrl+C (`| tee`): a write to its closed pipe would end the script with everything still running.
  trap '' INT TERM HUP PIPE
  say "stopping: nodes first (they hand their cameras over and drain to PostgreSQL), then the stores and the broker"
  # The nodes' handover waits up to Cluster:HandoverTimeout (10 s) for their last alerts to reach the shared store.
  mapfile -t alive < <(running "${node_pids[@]}")
  stop TERM 45 "${alive[@]}"
  if [ -n "$postgres_pid" ] && kill -0 "$postgres_pid" 2> /dev/null; then
    # SIGINT to the postmaster itself (behind runuser when root): a fast shutdown, which closes any connection left.
    local postmaster=
    [ -r "$dir/postgres/data/postmaster.pid" ] && read -r postmaster < "$dir/postgres/data/postmaster.pid"
    [ -z "$postmaster" ] || kill -INT "$postmaster" 2> /dev/null
    stop INT 20 "$postgres_pid"
  fi
  mapfile -t alive < <(running "${redis_pid:-}" "${mqtt_pid:-}")
  stop TERM 10 "${alive[@]}"
  # CLUSTER_DEMO_KEEP_LOGS=DIR: the nodes' and the stores' logs are copied there first (benchmarks/cluster-soak.sh).
  if [ -n "${CLUSTER_DEMO_KEEP_LOGS:-}" ]; then
    mkdir -p "$CLUSTER_DEMO_KEEP_LOGS" && cp "$dir"/*.log "$CLUSTER_DEMO_KEEP_LOGS"/ 2> /dev/null || true
  fi
  rm -rf "$dir"
  say "stopped; removed $dir"
}
trap cleanup EXIT
# Ctrl+C, SIGTERM, or the terminal closing: a normal end of the demo; the EXIT trap stops everything.
trap 'exit 0' INT TERM HUP

# Every process runs in a session of its own (setsid), so that the terminal's Ctrl+C reaches this script alone: it
# would otherwise reach the stores and the broker at the same moment as the nodes, which need them while they drain.
# None reads the terminal; each writes its own log. track records what was just started in the background.
track() {
  names[$1]=$2
  logs[$1]=$3
}

# Waits until the process $1 accepts connections on port $2 (up to $3 seconds); if it ends first, shows its log.
await_port() {
  local pid=$1 port=$2 seconds=$3 log=${logs[$1]}
  local deadline=$((SECONDS + seconds))
  until listening "$port"; do
    kill -0 "$pid" 2> /dev/null || { show_log "$log"; fail "${names[$pid]} ended before it listened on port $port"; }
    [ $SECONDS -lt $deadline ] || { show_log "$log"; fail "${names[$pid]} does not listen on port $port after ${seconds}s"; }
    sleep 0.2
  done
}

# --- PostgreSQL: a fresh cluster, trust authentication, on 127.0.0.1 only -----------------------------------------
# PostgreSQL refuses to run as root: as root, it runs as the postgres user that the package creates, which then needs
# to reach its directory (mktemp's is private: o+x lets it through, without listing it).
mkdir "$dir/postgres"
if [ "$(id -u)" -eq 0 ]; then
  chmod o+x "$dir"
  chown postgres: "$dir/postgres"
fi
# Runs the PostgreSQL program $1 in place of the (sub)shell that calls it: from its own directory (the postgres user
# may not be allowed into the repository's), as the postgres user when root, in a session of its own (see track).
exec_postgres() {
  local program=$postgres_bin/$1
  shift
  cd "$dir/postgres"
  if [ "$(id -u)" -eq 0 ]; then exec setsid runuser -u postgres -- "$program" "$@"; fi
  exec setsid "$program" "$@"
}
(exec_postgres initdb -D "$dir/postgres/data" -A trust -U postgres --no-sync) < /dev/null > "$dir/initdb.log" 2>&1 \
  || { show_log "$dir/initdb.log"; fail "initdb failed"; }
# fsync off: the data is thrown away when the demo ends.
postgres_args=(-D "$dir/postgres/data" -p "$postgres_port" -c listen_addresses=127.0.0.1
  -c "unix_socket_directories=$dir/postgres" -c fsync=off)
(exec_postgres postgres "${postgres_args[@]}") < /dev/null > "$dir/postgres.log" 2>&1 &
postgres_pid=$!
track "$postgres_pid" PostgreSQL "$dir/postgres.log"
# The port opens before the server accepts connections, and a node that cannot create its tables stops at once.
deadline=$((SECONDS + 60))
until grep -q 'database system is ready to accept connections' "$dir/postgres.log"; do
  kill -0 "$postgres_pid" 2> /dev/null || { show_log "$dir/postgres.log"; fail "PostgreSQL ended at start"; }
  [ $SECONDS -lt $deadline ] || { show_log "$dir/postgres.log"; fail "PostgreSQL is not ready after 60s"; }
  sleep 0.2
done

# --- Redis: the membership table, in an append-only file (a Redis that restarts empty has lost the membership) --------
mkdir "$dir/redis"
setsid redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly yes --dir "$dir/redis" \
  < /dev/null > "$dir/redis.log" 2>&1 &
redis_pid=$!
track "$redis_pid" Redis "$dir/redis.log"
await_port "$redis_pid" "$redis_port" 30

# --- mosquitto: anonymous clients, 127.0.0.1 only ------------------------------------------------------------------
printf 'listener %s 127.0.0.1\nallow_anonymous true\n' "$mqtt_port" > "$dir/mosquitto.conf"
setsid mosquitto -c "$dir/mosquitto.conf" < /dev/null > "$dir/mosquitto.log" 2>&1 &
mqtt_pid=$!
track "$mqtt_pid" mosquitto "$dir/mosquitto.log"
await_port "$mqtt_pid" "$mqtt_port" 30

# --- The inventory: 2×N file cameras (by default), analysed at 2 fps, that the nodes share -----------------------
cameras=$((cameras_per_node * nodes))
{
  echo "["
  for ((c = 1; c <= cameras; c++)); do
    printf '  {"Id":"cluster-cam-%02d","Name":"Cluster demo camera %d (vtest.avi, looped)","Url":"media/vtest.avi","Kind":"fixed",' "$c" "$c"
    printf '"Latitude":%s,"Longitude":%s,"GridId":"grid-001","DetectFps":%s,"DetectWidth":640,"DetectHeight":480}' \
      "31.23$((c % 10))" "121.47$((c % 10))" "$detect_fps"
    [ "$c" -eq "$cameras" ] && echo || echo ","
  done
  echo "]"
} > "$dir/cameras.json"

# --- The nodes -----------------------------------------------------------------------------------------------------
for ((i = 1; i <= nodes; i++)); do
  mkdir "$dir/node-$i"
  node_args=(
    "--Node:Id=node-$i"
    --Mqtt:Host=127.0.0.1 "--Mqtt:Port=$mqtt_port"
    "--Metrics:Port=$((http_port + i - 1))"
    "--Cameras:File=$dir/cameras.json"
    # appsettings.json's demo camera (Cameras:0, demo-walkway) cannot be removed by an argument, only disabled: it
    # stays listed, disabled, on every node, and the cluster shares the inventory's cameras.
    --Cameras:0:Enabled=false
    "--Cluster:Redis=127.0.0.1:$redis_port"
    "--Cluster:Postgres=Host=127.0.0.1;Port=$postgres_port;Username=postgres;Database=postgres"
    "--Cluster:SiloPort=$((silo_port + i - 1))"
    "--Outbox:Path=$dir/node-$i/outbox.db"
    "--Detector:Model=$model"
  )
  setsid dotnet "$engine" "${node_args[@]}" < /dev/null > "$dir/node-$i.log" 2>&1 &
  node_pids+=("$!")
  track "$!" "node-$i" "$dir/node-$i.log"
done
for ((i = 1; i <= nodes; i++)); do
  await_port "${node_pids[i - 1]}" $((http_port + i - 1)) 180
done

say "$nodes nodes, $cameras cameras (inventory: $dir/cameras.json)"
for ((i = 1; i <= nodes; i++)); do
  say "  node-$i: pid ${node_pids[i - 1]}, http://127.0.0.1:$((http_port + i - 1)), log $dir/node-$i.log"
done
cat << EOF
cluster-demo: PostgreSQL 127.0.0.1:$postgres_port, Redis 127.0.0.1:$redis_port, MQTT broker 127.0.0.1:$mqtt_port
cluster-demo: try
  curl http://127.0.0.1:$http_port/api/health
  curl http://127.0.0.1:$http_port/api/cameras      # every camera, and the node that runs it
  mosquitto_sub -h 127.0.0.1 -p $mqtt_port -t 'surveillance/#' -v
EOF
[ "$nodes" -eq 1 ] || echo "  kill -TERM ${node_pids[0]}                          # stop node-1: the others take its cameras over"
say "Ctrl+C stops the cluster and removes $dir (the logs with it)"

# Until Ctrl+C or SIGTERM. A node that ends is reported and the others carry on (taking its cameras over); without
# its stores or its broker the cluster cannot work, so the demo ends.
declare -A watched=()
for pid in "${!names[@]}"; do watched[$pid]=1; done
while [ ${#watched[@]} -gt 0 ]; do
  ended=
  status=0
  wait -n -p ended "${!watched[@]}" || status=$?
  [ -n "$ended" ] || continue
  unset "watched[$ended]"
  case ${names[$ended]} in
    node-*) say "${names[$ended]} ended (status $status); see ${logs[$ended]}" ;;
    *)
      show_log "${logs[$ended]}"
      fail "${names[$ended]} ended (status $status); stopping the demo"
      ;;
  esac
done
