#!/usr/bin/python3
"""Writes an INT8 (QDQ) copy of the YOLOv5 detector, its detect head kept in float.

ONNX Runtime's own quantizer is a Python package that Debian does not carry; this does the same job with
python3-onnx and numpy, in two steps around the engine's `calibrate` command:

  quantize_int8.py expose   IN.onnx EXPOSED.onnx
      a copy of IN in which every tensor that will be quantized is also a graph output;
  Surveillance.Host calibrate --model EXPOSED.onnx --output RANGES.json --input VIDEO ...
      runs that copy in the engine's ONNX Runtime session over real frames and writes each output's range;
  quantize_int8.py quantize [--percentile P] [--weight-bits 7] IN.onnx RANGES.json OUT.onnx
      the QDQ model, each activation's range the central P% of its calibrated values (100: all of them); with 7
      weight bits, weights in -63..63 for CPUs without VNNI (whose kernels add pairs of products in 16 bits).

The body (backbone and neck: every node up to the three 1x1 Convs with 3 x 85 outputs that start the detect head)
is quantized the way ONNX Runtime fuses it into integer kernels (QLinearConv, QLinearSigmoid, QLinearMul,
QLinearAdd, QLinearConcat; MaxPool, Resize and Transpose on uint8): each tensor T becomes
T -> QuantizeLinear -> DequantizeLinear -> each consumer. Activations: uint8, per tensor, asymmetric, over the
calibrated range (widened to hold 0). Conv weights: int8 (or 7 bits), symmetric, one scale per output channel; biases int32 at
input scale x weight scale. MaxPool, Resize and Transpose keep their input's scale (ONNX Runtime drops their Q/DQ
only then).
The head (its three Convs, sigmoid, grid and anchor arithmetic, reshapes, concat) stays float: its Convs read the
dequantized neck. Pads before Convs (the TensorFlow export writes them as nodes) are folded into the Convs' own
pads first: Pad is not one of the ops ONNX Runtime runs on integers, and a zero pad is the Conv's own padding.
The output is deterministic: the same inputs give the same bytes.

Usage: see above (needs Debian's python3-onnx)
"""
import argparse
import json

import numpy
import onnx
from onnx import TensorProto, helper, numpy_helper

ANCHORS_PER_CELL = 3
ROW_LENGTH = 85
HEAD_CHANNELS = ANCHORS_PER_CELL * ROW_LENGTH
# Ops whose integer kernels keep the input's scale and zero point on their output.
SAME_SCALE = {"MaxPool", "Resize", "Transpose"}
BODY_OPS = {"Conv", "Sigmoid", "Mul", "Add", "Concat", "MaxPool", "Resize", "Transpose"}


def fail(message):
    raise SystemExit(f"quantize_int8.py: {message}")


def initializers(graph):
    return {i.name: i for i in graph.initializer}


def fold_pads(graph):
    """Folds each zero, constant Pad whose only consumer is a Conv (directly, or through the NHWC->NCHW Transpose
    that follows the input's Pad) into that Conv's pads attribute."""
    values = {name: numpy_helper.to_array(i) for name, i in initializers(graph).items()}
    users = {}
    for node in graph.node:
        for name in node.input:
            users.setdefault(name, []).append(node)
    removed = []
    for pad in [n for n in graph.node if n.op_type == "Pad"]:
        label = pad.output[0]
        mode = next((a.s for a in pad.attribute if a.name == "mode"), b"constant")
        if mode != b"constant" or len(pad.input) > 2 and pad.input[2]:
            fail(f"Pad {label}: only zero constant pads can be folded into a Conv")
        pads = values[pad.input[1]].tolist()
        consumers = users.get(pad.output[0], [])
        perm = None
        if len(consumers) == 1 and consumers[0].op_type == "Transpose":
            transpose = consumers[0]
            perm = list(next(a.ints for a in transpose.attribute if a.name == "perm"))
            consumers = users.get(transpose.output[0], [])
        if len(consumers) != 1 or consumers[0].op_type != "Conv" or len(pads) != 8:
            fail(f"Pad {label}: expected a 4-d Pad read by one Conv (or by a Transpose read by one Conv)")
        begin, end = pads[:4], pads[4:]
        if perm is not None:
            begin, end = [begin[p] for p in perm], [end[p] for p in perm]
        if begin[:2] != [0, 0] or end[:2] != [0, 0] or min(pads) < 0:
            fail(f"Pad {label}: pads {pads} touch the batch or channel axis")
        conv = consumers[0]
        attribute = next((a for a in conv.attribute if a.name == "pads"), None)
        if attribute is None:
            attribute = helper.make_attribute("pads", [0, 0, 0, 0])
            conv.attribute.append(attribute)
        if any(a.name == "auto_pad" and a.s not in (b"", b"NOTSET") for a in conv.attribute):
            fail(f"Conv {conv.output[0]}: auto_pad cannot take a folded Pad")
        old = list(attribute.ints)
        attribute.ints[:] = [old[0] + begin[2], old[1] + begin[3], old[2] + end[2], old[3] + end[3]]
        # The Pad's reader now reads what the Pad read.
        reader = transpose if perm is not None else conv
        reader.input[0] = pad.input[0]
        removed.append(pad)
    for pad in removed:
        graph.node.remove(pad)
    for name in {p.input[1] for p in removed}:
        if not any(name in n.input for n in graph.node):
            graph.initializer.remove(initializers(graph)[name])
    return len(removed)


def split_body(graph):
    """The body's nodes (all before the detect head) and the head Convs; refuses a graph it does not recognise."""
    inits = initializers(graph)
    head_convs = [n for n in graph.node if n.op_type == "Conv" and n.input[1] in inits
                  and inits[n.input[1]].dims[0] == HEAD_CHANNELS]
    if len(head_convs) != 3:
        fail(f"found {len(head_convs)} Conv(s) with {HEAD_CHANNELS} outputs, expected the 3 of a YOLOv5 detect head")
    head_tensors = {o for n in head_convs for o in n.output}
    for node in graph.node:  # topological order: a node reading a head tensor is in the head
        if any(i in head_tensors for i in node.input):
            head_tensors.update(node.output)
    body = [n for n in graph.node if n.output[0] not in head_tensors]
    for node in body:
        if node.op_type not in BODY_OPS:
            fail(f"{node.op_type} {node.output[0]}: not an op this tool quantizes (before the detect head)")
    if any(o.name not in head_tensors for o in graph.output):
        fail("a graph output does not come from the detect head")
    return body, head_convs


def body_tensors(graph, body):
    """Every activation the body reads or writes, in graph order: the tensors to quantize."""
    inits = initializers(graph)
    names = []
    for node in body:
        for name in list(node.input) + list(node.output):
            if name and name not in inits and name not in names:
                names.append(name)
    return names


def prepare(path):
    model = onnx.load(path)
    if len(model.graph.input) != 1 or len(model.graph.output) != 1:
        fail("expected one input and one output (a YOLOv5 export)")
    dims = model.graph.output[0].type.tensor_type.shape.dim
    if len(dims) != 3 or dims[2].dim_value != ROW_LENGTH:
        fail(f"output is not [1,N,{ROW_LENGTH}] (YOLOv5 with its decode in the graph)")
    fold_pads(model.graph)
    body, head_convs = split_body(model.graph)
    return model, body, head_convs


def expose(args):
    model, body, _ = prepare(args.source)
    graph = model.graph
    inputs = {i.name for i in graph.input}
    exposed = [t for t in body_tensors(graph, body) if t not in inputs]
    for name in exposed:
        graph.output.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, None))
    onnx.save(model, args.target)
    print(f"{args.target}: {len(exposed)} tensor(s) exposed as outputs for calibration")


def activation_parameters(low, high):
    """uint8 scale and zero point for values in [low, high], the range widened to hold 0 (exactly representable)."""
    low, high = min(float(low), 0.0), max(float(high), 0.0)
    if high - low < 1e-8:
        high = low + 1e-8
    scale = numpy.float32((high - low) / 255.0)
    zero_point = numpy.uint8(min(255, max(0, round(-low / float(scale)))))
    return scale, zero_point


def quantize(args):
    model, body, head_convs = prepare(args.source)
    graph = model.graph
    with open(args.ranges, encoding="utf-8") as file:
        ranges = json.load(file)["tensors"]
    inits = initializers(graph)
    tensors = body_tensors(graph, body)
    producer = {o: n for n in body for o in n.output}
    input_name = graph.input[0].name

    # Quantization parameters per tensor, in graph order so that a same-scale op takes its input's.
    parameters = {}
    for name in tensors:
        node = producer.get(name)
        if node is not None and node.op_type in SAME_SCALE:
            parameters[name] = parameters[node.input[0]]
        elif name == input_name:
            # The engine's input: pixel values / 255 (LetterboxPreprocessor), held exactly by scale 1/255.
            parameters[name] = activation_parameters(0.0, 1.0)
        elif name in ranges:
            measured = ranges[name]
            if args.percentile != "100" and args.percentile not in measured:
                fail(f"{args.ranges} has no central {args.percentile}% for tensor {name}: give one it holds, or 100")
            low, high = (measured["min"], measured["max"]) if args.percentile == "100" else measured[args.percentile]
            parameters[name] = activation_parameters(low, high)
        else:
            fail(f"{args.ranges} has no range for tensor {name}: calibrate the model that `expose` wrote from {args.source}")

    new_inits = []
    nodes = []

    def constant(name, array):
        new_inits.append(numpy_helper.from_array(array, name))
        return name

    def qparams(name):
        scale, zero_point = parameters[name]
        return (constant(f"{name}_scale", numpy.array(scale, numpy.float32)),
                constant(f"{name}_zero_point", numpy.array(zero_point, numpy.uint8)))

    # The QuantizeLinear's scale and zero point of each tensor once it is written, for its readers' DequantizeLinear.
    tensor_params = {name: None for name in tensors}
    weight_max = float(2 ** (args.weight_bits - 1) - 1)
    dq_count = {}

    def quantize_output(name):
        scale, zero_point = qparams(name)
        tensor_params[name] = (scale, zero_point)
        nodes.append(helper.make_node("QuantizeLinear", [name, scale, zero_point], [f"{name}_quantized"], name=f"{name}_QuantizeLinear"))

    def dequantized(name):
        """A DequantizeLinear of its own for each reader: ONNX Runtime groups DQ, op and Q into one integer kernel."""
        index = dq_count[name] = dq_count.get(name, 0) + 1
        scale, zero_point = tensor_params[name]
        out = f"{name}_dequantized_{index}"
        nodes.append(helper.make_node("DequantizeLinear", [f"{name}_quantized", scale, zero_point], [out], name=f"{out}_DequantizeLinear"))
        return out

    def quantize_conv_weights(conv):
        weight = numpy_helper.to_array(inits[conv.input[1]]).astype(numpy.float64)
        channels = weight.shape[0]
        largest = numpy.abs(weight.reshape(channels, -1)).max(axis=1)
        weight_scale = numpy.where(largest > 0, largest / weight_max, 1.0).astype(numpy.float32)
        shape = (channels,) + (1,) * (weight.ndim - 1)
        q_weight = numpy.clip(numpy.round(weight / weight_scale.reshape(shape)), -weight_max, weight_max).astype(numpy.int8)
        w = conv.input[1]
        constant(f"{w}_quantized", q_weight)
        constant(f"{w}_scale", weight_scale)
        constant(f"{w}_zero_point", numpy.zeros(channels, numpy.int8))
        weight_out = f"{w}_dequantized"
        nodes.append(helper.make_node("DequantizeLinear", [f"{w}_quantized", f"{w}_scale", f"{w}_zero_point"], [weight_out], name=f"{weight_out}_DequantizeLinear", axis=0))
        inputs = [weight_out]
        if len(conv.input) > 2 and conv.input[2]:
            b = conv.input[2]
            bias = numpy_helper.to_array(inits[b]).astype(numpy.float64)
            input_scale = float(parameters[conv.input[0]][0])
            bias_scale = (input_scale * weight_scale.astype(numpy.float64)).astype(numpy.float32)
            q_bias = numpy.round(bias / bias_scale.astype(numpy.float64))
            if numpy.abs(q_bias).max() >= 2**31:
                fail(f"Conv {conv.output[0]}: bias does not fit int32 at scale input x weight")
            constant(f"{b}_quantized", q_bias.astype(numpy.int32))
            constant(f"{b}_scale", bias_scale)
            constant(f"{b}_zero_point", numpy.zeros(channels, numpy.int32))
            bias_out = f"{b}_dequantized"
            nodes.append(helper.make_node("DequantizeLinear", [f"{b}_quantized", f"{b}_scale", f"{b}_zero_point"], [bias_out], name=f"{bias_out}_DequantizeLinear", axis=0))
            inputs.append(bias_out)
        return inputs

    body_outputs = {n.output[0] for n in body}
    quantized_weights = set()
    if input_name in tensor_params:
        quantize_output(input_name)
    for node in graph.node:
        if node.output[0] in body_outputs or any(i in tensor_params for i in node.input):
            new_inputs = [dequantized(i) if i in tensor_params else i for i in node.input]
            if node.output[0] in body_outputs and node.op_type == "Conv":
                new_inputs[1:] = quantize_conv_weights(node)
                quantized_weights.update(node.input[1:])
            node.input[:] = new_inputs
        copy = onnx.NodeProto()
        copy.CopyFrom(node)
        nodes.append(copy)
        if node.output[0] in body_outputs:
            for name in node.output:
                quantize_output(name)

    graph.ClearField("node")
    graph.node.extend(nodes)
    kept = [i for i in graph.initializer if i.name not in quantized_weights]
    graph.ClearField("initializer")
    graph.initializer.extend(kept + new_inits)
    del graph.value_info[:]
    onnx.checker.check_model(model)
    model = onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
    onnx.save(model, args.target)
    convs = sum(1 for n in body if n.op_type == "Conv")
    print(f"{args.target}: {len(tensors)} tensor(s) quantized (uint8), {convs} Conv(s) with int8 weights, "
          f"{len(head_convs)} head Conv(s) and the head kept in float")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    exposing = commands.add_parser("expose", help="a copy with the tensors to calibrate as outputs")
    exposing.add_argument("source")
    exposing.add_argument("target")
    exposing.set_defaults(run=expose)
    quantizing = commands.add_parser("quantize", help="the QDQ model from the calibrated ranges")
    quantizing.add_argument("source")
    quantizing.add_argument("ranges")
    quantizing.add_argument("target")
    quantizing.add_argument("--percentile", default="100",
                            help="each activation's range: the central share of its calibrated values, in percent, as the "
                                 "ranges file names it (99.99), or 100 for its smallest to its largest value")
    quantizing.add_argument("--weight-bits", type=int, choices=(7, 8), default=8,
                            help="7: weights in [-63, 63] (ONNX Runtime's reduce_range), for CPUs without VNNI, whose "
                                 "integer kernels add pairs of uint8 x int8 products in 16 bits and saturate at full range")
    quantizing.set_defaults(run=quantize)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
