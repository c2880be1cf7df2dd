#!/usr/bin/env bash
# Makes the YOLOv5s copies whose input is shaped like a detect frame (models/README.md) from the bundled
# models/yolov5s-640.onnx: they are derived files, checked against the sha256 they must have, not kept in the
# repository. Needs Debian's python3-onnx. Does nothing for a copy that is already there and right.
set -euo pipefail
cd "$(dirname "$0")/.."

make_copy() {
  local height=$1 width=$2 sha=$3 out="models/yolov5s-${2}x${1}.onnx"
  if [ -f "$out" ] && echo "$sha  $out" | sha256sum --check --status; then
    return 0
  fi
  # Debian's python3, which has python3-onnx; another python3 earlier on PATH may not.
  /usr/bin/python3 tools/reshape_input.py models/yolov5s-640.onnx "$out.tmp" --height "$height" --width "$width"
  if ! echo "$sha  $out.tmp" | sha256sum --check --status; then
    rm -f "$out.tmp"
    echo "shaped-models: $out came out different from the copy described in models/README.md (sha256 $sha);" \
      "check models/yolov5s-640.onnx and the python3-onnx version" >&2
    exit 1
  fi
  mv "$out.tmp" "$out"
  echo "shaped-models: made $out"
}

make_copy 480 640 ec688f8e54c16c5346a3efc26b825364932129eca4c6333efcd2e5064ba20166
make_copy 384 640 b52941797cdff9029725202d0f7b4567b661789805d37886296f45eb4d03ab74
make_copy 320 320 994b849d0a0b883f331557a78fdfcd6fa2650499142df1bf00f580f580b69c45
