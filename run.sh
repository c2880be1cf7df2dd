#!/usr/bin/env bash
# Starts the engine. With the shipped appsettings.json: an embedded MQTT broker on 127.0.0.1:1883 and one
# demo camera looping media/vtest.avi at 5 fps. Override any setting with environment variables
# (Cameras__0__Url=rtsp://..., Mqtt__Host=broker) or arguments (--Mqtt:Host=broker).
set -euo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# ffmpeg decodes every camera; OpenCV's native library needs GTK 3 at load time.
missing=()
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
ldconfig -p | grep -q 'libgtk-3.so.0' || missing+=(libgtk-3-0)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} with apt..." >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build src/Host/Surveillance.Host.csproj -c Release -r linux-x64 --self-contained false -v quiet -nologo >&2
exec dotnet src/Host/bin/Release/net10.0/linux-x64/Surveillance.Host.dll "$@"
