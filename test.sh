#!/usr/bin/env bash
# Installs what the tests need (ffmpeg, mosquitto, GStreamer's RTSP server, python3-onnx, openssl, promtool...), checks
# that every program they start comes from a package installed here (tools/programs.tsv) and runs every test.
# Extra arguments go to `dotnet test`, e.g. ./test.sh --filter EndToEnd
set -euo pipefail
cd "$(dirname "$0")"

. tools/apt-packages.sh
# The programs the tests start are listed, with their packages, in tools/programs.tsv.
# python3-minimal: /usr/bin/python3, which runs tests/tools/rtsp_server.py (python3-gi, gir1.2-gst-rtsp-server-1.0)
# and tools/dynamic_batch.py, tools/reshape_input.py and tools/quantize_int8.py (python3-onnx), which the batching,
# shaped-model and INT8 tests run on the shipped models.
# procps: kill (the broker-outage tests). openssl: the broker-security tests' certificates.
# prometheus: promtool, which lints a running engine's scrape (on a machine with systemd its package also starts
# a Prometheus server as a service).
# redis-server and postgresql: the cluster tests start servers of their own (Orleans' membership in Redis, camera
# ownership and the shared outbox in PostgreSQL), on ports of their own; so does tools/cluster-demo.sh, which a test
# runs. With systemd, both packages also start a server as a service, on the default ports, which the tests leave alone.
# nodejs and npm: building the engine installs the console's Leaflet from npm (src/Host/Console.targets); chromium:
# the console's browser tests (Playwright drives Debian's chromium).
apt_packages \
  ffmpeg libgtk-3-0 \
  mosquitto mosquitto-clients \
  python3-minimal python3-gi gir1.2-gst-rtsp-server-1.0 python3-onnx \
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly \
  procps openssl prometheus \
  redis-server postgresql \
  nodejs npm chromium
tools/check-programs.sh
# The YOLOv5s copies shaped like a detect frame and the INT8 copies, which the tests compare with the float models.
tools/shaped-models.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test Surveillance.sln -c Release --blame-hang-timeout 10m "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One plain summary line, whatever the runner printed.
awk '/^(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { gsub(",", "", $(i+1)); if ($i == "Passed:") p += $(i+1); if ($i == "Failed:") f += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
