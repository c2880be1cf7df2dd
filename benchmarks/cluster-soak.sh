#!/usr/bin/env bash
# A cluster under full CPU for a while: tools/cluster-demo.sh with 3 nodes and enough cameras, detected often enough
# with YOLOv5s, that every detector is always busy; checks every 10 s that no node was declared dead (each node still
# counts 3 members, its process is the same, none of its cameras was taken from it) and writes what it saw to
# benchmarks/results/cluster/soak-<time>.md.   benchmarks/cluster-soak.sh [MINUTES]   (60 by default)
set -euo pipefail
cd "$(dirname "$0")/.."

. tools/apt-packages.sh
# curl: each node's /metrics and /api/health.
apt_packages curl

minutes=${1:-60}
[[ $minutes =~ ^[1-9][0-9]*$ ]] || { echo "cluster-soak: MINUTES must be a whole number (was '$minutes')" >&2; exit 1; }
nodes=3
result="benchmarks/results/cluster/soak-$(date -u +%Y%m%dT%H%M%SZ).md"
mkdir -p benchmarks/results/cluster
# The nodes' logs, kept for whoever reads the result (a node declared dead says why there).
logs=$(mktemp -d)
log=$(mktemp)
demo=
trap '[ -z "$demo" ] || { kill -TERM "$demo" 2> /dev/null; wait "$demo"; } || true; rm -f "$log"' EXIT

CLUSTER_DEMO_CAMERAS_PER_NODE=4 CLUSTER_DEMO_DETECT_FPS=10 CLUSTER_DEMO_MODEL=models/yolov5s-640.onnx CLUSTER_DEMO_KEEP_LOGS=$logs \
  tools/cluster-demo.sh "$nodes" > "$log" 2>&1 &
demo=$!

metric() { awk -v name="$1" '$1 == name { print $2 }' <<< "$2"; }
# CPU busy share since the last call, from /proc/stat.
read -r _ u n s i w q sq _ < /proc/stat
last_busy=$((u + n + s + q + sq))
last_total=$((u + n + s + i + w + q + sq))
cpu_busy() {
  local u n s i w q sq busy total
  read -r _ u n s i w q sq _ < /proc/stat
  busy=$((u + n + s + q + sq))
  total=$((u + n + s + i + w + q + sq))
  echo $(( 100 * (busy - last_busy) / (total - last_total > 0 ? total - last_total : 1) ))
  last_busy=$busy
  last_total=$total
}

deadline=$((SECONDS + 300))
declare -A pid=()
until [ ${#pid[@]} -eq $nodes ]; do
  [ $SECONDS -lt $deadline ] || { cat "$log" >&2; echo "cluster-soak: the nodes did not start" >&2; exit 1; }
  for ((i = 1; i <= nodes; i++)); do
    health=$(curl -sf "http://127.0.0.1:$((9464 + i - 1))/api/health" || true)
    [[ $health =~ \"processId\":([0-9]+) ]] && pid[$i]=${BASH_REMATCH[1]}
  done
  sleep 2
done
sleep 60 # the cameras claimed and streaming

samples=0
problems=()
busy_sum=0
dropped_start=0
dropped_end=0
for ((i = 1; i <= nodes; i++)); do
  m=$(curl -sf "http://127.0.0.1:$((9464 + i - 1))/metrics")
  dropped_start=$((dropped_start + $(awk '/^surveillance_frames_dropped_total/ { s += $2 } END { printf "%d", s }' <<< "$m")))
done
cpu_busy > /dev/null
started=$(date -u +%FT%TZ)
end=$((SECONDS + minutes * 60))
while [ $SECONDS -lt $end ]; do
  sleep 10
  busy=$(cpu_busy)
  busy_sum=$((busy_sum + busy))
  samples=$((samples + 1))
  for ((i = 1; i <= nodes; i++)); do
    m=$(curl -sf -m 5 "http://127.0.0.1:$((9464 + i - 1))/metrics" || true)
    [ -n "$m" ] || { problems+=("$(date -u +%T) node-$i did not answer"); continue; }
    members=$(metric surveillance_cluster_members "$m")
    fenced=$(metric surveillance_cluster_fenced_cameras_total "$m")
    [ "${members%.*}" = "$nodes" ] || problems+=("$(date -u +%T) node-$i counts ${members:-?} members")
    [ "${fenced:-0}" = 0 ] || problems+=("$(date -u +%T) node-$i was fenced ($fenced cameras)")
    [ -d "/proc/${pid[$i]}" ] || problems+=("$(date -u +%T) node-$i (pid ${pid[$i]}) is gone")
  done
done
for ((i = 1; i <= nodes; i++)); do
  m=$(curl -sf "http://127.0.0.1:$((9464 + i - 1))/metrics" || true)
  dropped_end=$((dropped_end + $(awk '/^surveillance_frames_dropped_total/ { s += $2 } END { printf "%d", s }' <<< "$m")))
done

mean_busy=$((busy_sum / (samples > 0 ? samples : 1)))
dropped=$((dropped_end - dropped_start))
{
  echo "# Cluster soak, $started, $minutes min"
  echo
  echo "3 nodes of tools/cluster-demo.sh on this machine ($(nproc) cores), 4 file cameras each (vtest.avi), detected at"
  echo "10 fps with YOLOv5s: far more than the detectors can do, so every detector is busy all along."
  echo
  echo "- CPU busy, mean of $samples samples of 10 s: ${mean_busy}%"
  echo "- frames dropped because detection was behind, all nodes: $dropped in $minutes min"
  echo "- problems (a node declared dead, fenced, gone or not answering): ${#problems[@]}"
  for p in "${problems[@]}"; do echo "  - $p"; done
} | tee "$result"
echo "cluster-soak: the nodes' logs are in $logs" >&2
[ ${#problems[@]} -eq 0 ]
