#!/usr/bin/env bash
# End-to-end benchmark: raw inference, ffmpeg vs the engine's ingest, the engine in overload and at ~80% load.
# Writes benchmarks/results/latest.json and latest.md. Options go to the harness, e.g.
#   ./bench.sh --seconds=30 --cameras=6 --model=models/nanodet-m-416.onnx
set -euo pipefail
cd "$(dirname "$0")"

. tools/apt-packages.sh
# procps: kill, with which the harness stops the engine and freezes its decoders. nodejs and npm: building the engine
# installs the console's Leaflet from npm (src/Host/Console.targets).
# The recovery run (--recovery=true) serves the video with GStreamer's RTSP server (tests/tools/rtsp_server.py).
# python3-onnx: tools/shaped-models.sh, which makes the models the ways of detecting compare (shaped like the frame, 320 regions).
apt_packages ffmpeg libgtk-3-0 procps nodejs npm \
  python3-minimal python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad \
  python3-onnx
tools/shaped-models.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build src/Host/Surveillance.Host.csproj -c Release -v quiet -nologo
dotnet build benchmarks/Surveillance.EndToEnd/Surveillance.EndToEnd.csproj -c Release -v quiet -nologo
exec dotnet benchmarks/Surveillance.EndToEnd/bin/Release/net10.0/Surveillance.EndToEnd.dll "$@"
