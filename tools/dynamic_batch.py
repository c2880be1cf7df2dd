#!/usr/bin/python3
"""Makes the batch dimension of a detector's ONNX graph dynamic, so that one run can take frames of several cameras.

The shipped models were exported with batch 1 written into the graph: in the input and output shapes, in
every Reshape's target shape, and in Resize's target sizes. This rewrites each of those to a free batch
dimension (-1 in Reshape, 'batch' in shapes, scale factors instead of sizes in Resize), drops the exporter's stored intermediate shapes (ONNX Runtime
infers them again), and refuses a graph where batch 1 appears anywhere it does not understand.

Usage: dynamic_batch.py IN.onnx OUT.onnx   (needs Debian's python3-onnx)
"""
import sys

import numpy
import onnx
from onnx import numpy_helper


def constant_inputs(graph):
    values = {i.name: i for i in graph.initializer}
    for node in graph.node:
        if node.op_type == "Constant":
            values[node.output[0]] = node.attribute[0].t
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
    raise SystemExit(f"constant {name} not found")


def main(source, target):
    model = onnx.load(source)
    graph = model.graph
    constants = constant_inputs(graph)
    users = {}
    for node in graph.node:
        for name in node.input:
            users.setdefault(name, []).append(node)

    for value in list(graph.input) + list(graph.output):
        first = value.type.tensor_type.shape.dim[0]
        if first.dim_value != 1:
            raise SystemExit(f"{value.name}: batch dimension is {first.dim_value or first.dim_param}, expected 1")
        first.dim_param = "batch"

    inferred = onnx.shape_inference.infer_shapes(model).graph
    shapes = {v.name: [d.dim_value for d in v.type.tensor_type.shape.dim]
              for v in list(inferred.value_info) + list(inferred.input)}

    rewritten = 0
    for node in graph.node:
        if node.op_type == "Reshape":
            shape = numpy_helper.to_array(constants[node.input[1]]).copy()
            if shape[0] != 1 or -1 in shape:
                raise SystemExit(f"Reshape {node.name or node.output[0]}: target {shape.tolist()} does not start with batch 1")
            if len(users.get(node.input[1], [])) > 1:
                raise SystemExit(f"Reshape {node.name or node.output[0]}: its target shape is shared with other nodes")
            shape[0] = -1
            replace(graph, node.input[1], shape)
            rewritten += 1
        elif node.op_type == "Resize" and len(node.input) == 4 and node.input[3]:
            # Target sizes include the batch; the same resize as scale factors holds for any batch.
            sizes = numpy_helper.to_array(constants[node.input[3]]).astype(numpy.float32)
            source = shapes.get(node.input[0])
            if source is None or len(source) != len(sizes) or 0 in source:
                raise SystemExit(f"Resize {node.name or node.output[0]}: the shape of its input is unknown")
            scales_name = node.input[3] + "_as_scales"
            graph.initializer.append(numpy_helper.from_array(sizes / numpy.array(source, numpy.float32), scales_name))
            node.input[2] = scales_name
            node.input[3] = ""
            rewritten += 1

    del graph.value_info[:]
    onnx.checker.check_model(model)
    onnx.save(model, target)
    print(f"{target}: batch dimension dynamic; {rewritten} Reshape/Resize node(s) rewritten")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2])
