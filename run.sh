#!/usr/bin/env bash
# Starts the engine. With the shipped appsettings.json: an embedded MQTT broker on 127.0.0.1:1883 and one
# demo camera looping media/vtest.avi at 5 fps. Override any setting with environment variables
# (Cameras__0__Url=rtsp://..., Mqtt__Host=broker) or arguments (--Mqtt:Host=broker).
set -euo pipefail
cd "$(dirname "$0")"

. tools/apt-packages.sh
# ffmpeg decodes every camera; OpenCV's native library needs GTK 3 at load time; mosquitto-clients: mosquitto_sub,
# which the README's Quick start watches the alerts with; nodejs and npm: the build installs the console's Leaflet
# from npm (src/Host/Console.targets).
apt_packages ffmpeg libgtk-3-0 mosquitto-clients nodejs npm

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# ONNXRUNTIME=Gpu ./run.sh builds with ONNX Runtime for CUDA/TensorRT (Detector:ExecutionProvider).
dotnet build src/Host/Surveillance.Host.csproj -c Release -r linux-x64 --self-contained false -v quiet -nologo \
  ${ONNXRUNTIME:+-p:OnnxRuntime=$ONNXRUNTIME} >&2
# The demo (no arguments, no cameras or grids of one's own) also gets two demo grids around its camera, for the console's map.
demo=()
if [ $# -eq 0 ] && ! env | grep -q -e '^Cameras__' -e '^Grids__'; then
  demo=(--Grids:File=media/demo-grids.geojson)
fi
exec dotnet src/Host/bin/Release/net10.0/linux-x64/Surveillance.Host.dll "${demo[@]}" "$@"
