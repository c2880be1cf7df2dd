#!/usr/bin/python3
"""Writes a copy of the YOLOv5 detector whose input is H x W instead of the square it was exported with.

A detect frame of 640x480 letterboxed into 640x640 spends a quarter of every model run on grey padding. The
convolutions take any size that is a multiple of the largest stride (32), but the exported graph has the square
written into it: the input and output shapes, the Resize (upsample) sizes, the detect head's Reshape targets
(grid cells per level), its grid of cell offsets and its constants that normalise boxes by the input size
(xy: stride / size, wh: anchor / size). This rewrites each of those for H x W: boxes stay normalised, x by W and
y by H, and the output has 3 x (H/8 x W/8 + H/16 x W/16 + H/32 x W/32) rows. The weights are untouched. Every
constant that is rewritten is first checked to hold what the square graph must hold there, and a graph with
anything else that depends on the size is refused; shape inference (strict) then checks the whole graph.

Usage: reshape_input.py IN.onnx OUT.onnx --height H --width W   (needs Debian's python3-onnx)
"""
import argparse
import math

import numpy
import onnx
from onnx import numpy_helper

STRIDES = (8, 16, 32)
ANCHORS_PER_CELL = 3
ROW_LENGTH = 85


def fail(message):
    raise SystemExit(f"reshape_input.py: {message}")


def constants_of(graph):
    values = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    for node in graph.node:
        if node.op_type == "Constant":
            values[node.output[0]] = numpy_helper.to_array(node.attribute[0].t)
    return values


def replace(graph, name, array):
    for i, init in enumerate(graph.initializer):
        if init.name == name:
            graph.initializer[i].CopyFrom(numpy_helper.from_array(array, name))
            return
    for node in graph.node:
        if node.op_type == "Constant" and node.output[0] == name:
            node.attribute[0].t.CopyFrom(numpy_helper.from_array(array, name))
            return
    fail(f"constant {name} not found")


def grid(rows, columns):
    """Cell offsets of the detect head, minus 0.5 as the export folded it: (x, y), x running fastest."""
    ys, xs = numpy.meshgrid(numpy.arange(rows), numpy.arange(columns), indexing="ij")
    return (numpy.stack([xs, ys], axis=-1).reshape(1, 1, rows * columns, 2) - 0.5).astype(numpy.float32)


def square_size(model):
    dims = [d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim]
    if len(model.graph.input) != 1 or len(dims) != 4 or dims[0] != 1 or dims[3] != 3 or dims[1] != dims[2] or dims[1] == 0:
        fail(f"input {dims}: expected one NHWC input [1,S,S,3] (a YOLOv5 export with batch 1)")
    out = [d.dim_value for d in model.graph.output[0].type.tensor_type.shape.dim]
    size = dims[1]
    rows = sum(ANCHORS_PER_CELL * (size // s) ** 2 for s in STRIDES)
    if len(model.graph.output) != 1 or out != [1, rows, ROW_LENGTH]:
        fail(f"output {out}: expected one output [1,{rows},{ROW_LENGTH}] (YOLOv5 with its decode in the graph)")
    return size


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source")
    parser.add_argument("target")
    parser.add_argument("--height", type=int, required=True)
    parser.add_argument("--width", type=int, required=True)
    args = parser.parse_args()
    height, width = args.height, args.width
    if height < 32 or width < 32 or height % 32 or width % 32:
        fail(f"--height {height} --width {width}: both must be multiples of 32 (the largest stride), at least 32")

    model = onnx.load(args.source)
    graph = model.graph
    size = square_size(model)
    constants = constants_of(graph)
    users = {}
    for node in graph.node:
        for name in node.input:
            users.setdefault(name, []).append(node)

    # Grid cells per level in the square graph, and the same level's cells at H x W.
    cells = {(size // s) ** 2: s for s in STRIDES}
    new_cells = {s: (height // s) * (width // s) for s in STRIDES}
    rewritten = {}

    def rewrite(name, array, what):
        if name in rewritten:
            return
        if len(users.get(name, [])) > 1:
            fail(f"{what}: constant {name} is shared by several nodes")
        replace(graph, name, array)
        rewritten[name] = what

    for node in graph.node:
        label = node.name or node.output[0]
        if node.op_type == "Reshape":
            target = constants[node.input[1]].copy()
            if target.tolist()[-1] != ROW_LENGTH or target[0] != 1:
                fail(f"Reshape {label}: target {target.tolist()} is not one of the detect head's")
            if len(target) == 4 and target[1] in cells and target[2] == ANCHORS_PER_CELL:
                target[1] = new_cells[cells[target[1]]]
            elif len(target) == 3 and target[1] % ANCHORS_PER_CELL == 0 and target[1] // ANCHORS_PER_CELL in cells:
                target[1] = ANCHORS_PER_CELL * new_cells[cells[target[1] // ANCHORS_PER_CELL]]
            else:
                fail(f"Reshape {label}: target {target.tolist()} matches no level of strides {STRIDES} at {size}x{size}")
            rewrite(node.input[1], target, f"Reshape {label}")
        elif node.op_type == "Resize":
            if len(node.input) != 4 or not node.input[3] or (node.input[2] and node.input[2] in constants and constants[node.input[2]].size):
                fail(f"Resize {label}: expected target sizes, not scales")
            sizes = constants[node.input[3]].copy()
            if len(sizes) != 4 or sizes[2] != sizes[3] or size % sizes[2]:
                fail(f"Resize {label}: sizes {sizes.tolist()} are not a square level of the input")
            stride = size // sizes[2]
            sizes[2], sizes[3] = height // stride, width // stride
            rewrite(node.input[3], sizes, f"Resize {label}")
        elif node.op_type in ("Add", "Mul"):
            for name in node.input:
                if name not in constants or constants[name].ndim == 0:
                    continue
                value = constants[name]
                if node.op_type == "Add" and value.shape[:2] == (1, 1) and value.ndim == 4 and value.shape[3] == 2 and value.shape[2] in cells:
                    side = size // cells[value.shape[2]]
                    if not numpy.allclose(value, grid(side, side)):
                        fail(f"Add {label}: a [1,1,{value.shape[2]},2] constant that is not the detect head's grid")
                    stride = cells[value.shape[2]]
                    rewrite(name, grid(height // stride, width // stride), f"grid of stride {stride}")
                elif node.op_type == "Mul" and value.shape == (1, 2):
                    stride = value[0, 0] * size
                    if value[0, 0] != value[0, 1] or not any(math.isclose(stride, s, rel_tol=1e-5) for s in STRIDES):
                        fail(f"Mul {label}: a [1,2] constant {value.tolist()} that is not stride / input size")
                    stride = round(stride)
                    rewrite(name, numpy.array([[stride / width, stride / height]], numpy.float32), f"xy of stride {stride}")
                elif node.op_type == "Mul" and value.shape == (1, ANCHORS_PER_CELL, 1, 2):
                    # Anchors in pixels over the input size: x over the width, y over the height.
                    scale = numpy.array([size / width, size / height], numpy.float32)
                    rewrite(name, (value * scale).astype(numpy.float32), f"anchors of {label}")
                elif value.size > 1 and node.op_type == "Add":
                    fail(f"Add {label}: constant {name} of shape {list(value.shape)} is not understood")

    levels = [what for what in rewritten.values()]
    expected = {"Reshape": 2 * len(STRIDES), "Resize": len(STRIDES) - 1, "grid": len(STRIDES), "xy": len(STRIDES), "anchors": len(STRIDES)}
    for kind, count in expected.items():
        found = sum(1 for what in levels if what.startswith(kind))
        if found != count:
            fail(f"found {found} {kind} constant(s) of the detect head, expected {count}: not a YOLOv5 export this tool knows")

    rows = sum(ANCHORS_PER_CELL * new_cells[s] for s in STRIDES)
    graph.input[0].type.tensor_type.shape.dim[1].dim_value = height
    graph.input[0].type.tensor_type.shape.dim[2].dim_value = width
    graph.output[0].type.tensor_type.shape.dim[1].dim_value = rows
    # The exporter's stored intermediate shapes are of the square; they are inferred again for H x W and kept, as
    # the original keeps them (tools/dynamic_batch.py reads them).
    del graph.value_info[:]
    onnx.checker.check_model(model)
    model = onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
    onnx.save(model, args.target)
    print(f"{args.target}: input [1,{height},{width},3], output [1,{rows},{ROW_LENGTH}]; {len(rewritten)} constant(s) rewritten")


if __name__ == "__main__":
    main()
