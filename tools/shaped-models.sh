#!/usr/bin/env bash
# Makes the YOLOv5s copies whose input is shaped like a detect frame, and the INT8 copies (models/README.md), from
# the bundled models/yolov5s-640.onnx and the calibrated ranges in models/calibration/: they are derived files,
# checked against the sha256 they must have, not kept in the repository. Needs Debian's python3-onnx. Does nothing
# for a copy that is already there and right.
set -euo pipefail
cd "$(dirname "$0")/.."

. tools/apt-packages.sh
apt_packages python3-onnx

# derive OUT SHA256 TOOL ARGUMENTS...: runs the tool (ARGUMENTS, then OUT.tmp) unless OUT is already right.
derive() {
  local out=$1 sha=$2
  shift 2
  if [ -f "$out" ] && echo "$sha  $out" | sha256sum --check --status; then
    return 0
  fi
  # Debian's python3, which has python3-onnx; another python3 earlier on PATH may not.
  /usr/bin/python3 "$@" "$out.tmp"
  if ! echo "$sha  $out.tmp" | sha256sum --check --status; then
    rm -f "$out.tmp"
    echo "shaped-models: $out came out different from the copy described in models/README.md (sha256 $sha);" \
      "check models/yolov5s-640.onnx and the python3-onnx version" >&2
    exit 1
  fi
  mv "$out.tmp" "$out"
  echo "shaped-models: made $out"
}

make_copy() {
  local height=$1 width=$2 sha=$3
  derive "models/yolov5s-${width}x${height}.onnx" "$sha" \
    tools/reshape_input.py models/yolov5s-640.onnx --height "$height" --width "$width"
}

# make_int8 NAME SHA256 [BITS]: models/NAME-int8.onnx from models/NAME.onnx and models/calibration/NAME.json; with
# BITS 7, models/NAME-int8-w7.onnx, its weights in 7 bits for CPUs without VNNI (models/README.md).
make_int8() {
  local name=$1 sha=$2 bits=${3:-8}
  local out="models/$name-int8.onnx"
  [ "$bits" = 8 ] || out="models/$name-int8-w$bits.onnx"
  derive "$out" "$sha" \
    tools/quantize_int8.py quantize --percentile 99.99 --weight-bits "$bits" "models/$name.onnx" "models/calibration/$name.json"
}

make_copy 480 640 ec688f8e54c16c5346a3efc26b825364932129eca4c6333efcd2e5064ba20166
make_copy 384 640 b52941797cdff9029725202d0f7b4567b661789805d37886296f45eb4d03ab74
make_copy 320 320 994b849d0a0b883f331557a78fdfcd6fa2650499142df1bf00f580f580b69c45
make_int8 yolov5s-640 88e173ae28b58084f777beab4a02a7af672d55712553e285ddc0b63e8f7cbdbc
make_int8 yolov5s-320x320 6af333510edc2a4fb80751a1304bec98aa1d7b15b089d20b4cac365d621dba29
make_int8 yolov5s-640 9645f009569cd3ed243794d4423a6edc200f4c532c72a50759f0b8f0683ad595 7
make_int8 yolov5s-320x320 e1a128417d9d1b937e567ea915e5325b812b82f0ceb0b6fe26bff74d47da0d65 7
