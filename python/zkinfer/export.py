"""Export a trained model to what ``zkinfer.setup`` takes: an ONNX file and a calibration file.

- :func:`export_sklearn`: a scikit-learn estimator through skl2onnx (``pip install skl2onnx``).
  Classifiers are cut at their logits (the layer before the softmax or sigmoid): zkinfer proves the
  model's scores, and the class is their argmax. Models that skl2onnx turns into ``ai.onnx.ml``
  operators (``LinearClassifier``, trees, ...) are refused: zkinfer proves standard ONNX
  operators (docs/ops.md); MLPs (``MLPClassifier``, ``MLPRegressor``) export as MatMul, Add and Relu.
- :func:`export_torch`: a PyTorch module through ``torch.onnx.export`` (needs ``torch``).

Both write ``OUT_DIR/NAME.onnx`` and ``OUT_DIR/NAME.calibration.json`` (one flat list per sample of
``sample``, whose first axis is the sample) and return an :class:`Exported`. The ONNX file has a
batch of one, opset 17 and IR version 8 (zkinfer reads opsets 7 to 23 and IR versions 3 to 12).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Tuple

import numpy as np

from .data import PathLike, write_calibration

OPSET = 17
"""The opset the helpers export at."""
IR_VERSION = 8
"""The IR version of opset 17 (newer onnx packages write newer versions than zkinfer reads)."""


@dataclass(frozen=True)
class Exported:
    """An exported model: the ONNX file, the calibration file and the input shape."""

    model: str
    calibration: str
    input_shape: Tuple[int, ...]


def _paths(out_dir: PathLike, name: str) -> Tuple[str, str]:
    out = os.fspath(out_dir)
    os.makedirs(out, exist_ok=True)
    return os.path.join(out, f"{name}.onnx"), os.path.join(out, f"{name}.calibration.json")


def _finish(model: Any, path: str) -> None:
    """Pins the IR version zkinfer reads, checks the model and writes it."""
    import onnx

    model.ir_version = min(model.ir_version, IR_VERSION)
    onnx.checker.check_model(model)
    onnx.save(model, path)


def _logits(model: Any) -> Any:
    """A classifier's graph cut at the input of its final softmax or sigmoid (its logits), with one
    output; a graph with one output and no such layer is returned as it is."""
    import onnx
    from onnx import helper

    graph = model.graph
    finals = [n for n in graph.node if n.op_type in ("Softmax", "Sigmoid")]
    if not finals:
        if len(graph.output) != 1:
            raise ValueError(
                f"the exported graph has {len(graph.output)} outputs and no softmax to cut at; "
                "zkinfer proves one-output models"
            )
        return model
    logits = finals[-1].input[0]
    # The nodes the logits depend on, walking back from them.
    needed, kept = {logits}, []
    for node in reversed(graph.node):
        if needed.intersection(node.output):
            kept.append(node)
            needed.update(node.input)
    kept.reverse()
    if not kept:
        raise ValueError(f"the softmax reads {logits!r}, which no node computes")
    weights = [t for t in graph.initializer if t.name in needed]
    names = {t.name for t in graph.initializer}
    inputs = [i for i in graph.input if i.name not in names]
    inferred = onnx.shape_inference.infer_shapes(model).graph.value_info
    shape = [
        d.dim_value if d.HasField("dim_value") else None
        for v in inferred
        if v.name == logits
        for d in v.type.tensor_type.shape.dim
    ]
    out = helper.make_tensor_value_info(logits, onnx.TensorProto.FLOAT, shape or [1, None])
    cut = helper.make_graph(kept, graph.name, inputs, [out], weights)
    opsets = [o for o in model.opset_import if o.domain in ("", "ai.onnx")]
    return helper.make_model(cut, opset_imports=opsets, producer_name="zkinfer")


def _refuse_foreign(onx: Any, model: Any) -> None:
    """Refuses a graph with operators outside the standard domain, naming them."""
    foreign = sorted({n.domain for n in onx.graph.node if n.domain not in ("", "ai.onnx")})
    if foreign:
        ops = sorted({n.op_type for n in onx.graph.node if n.domain in foreign})
        raise ValueError(
            f"{type(model).__name__} exports to operators of {', '.join(foreign)} "
            f"({', '.join(ops)}), which zkinfer does not import; MLPs export to standard "
            "operators (docs/python.md)"
        )


def export_sklearn(
    model: Any, sample: Any, out_dir: PathLike, *, name: str = "model"
) -> Exported:
    """Exports a fitted scikit-learn estimator and a calibration file from ``sample`` (an array of
    samples, first axis the sample, e.g. a slice of the training data)."""
    from skl2onnx import convert_sklearn
    from skl2onnx.common.data_types import FloatTensorType

    x = np.asarray(sample, dtype=np.float32)
    x = x.reshape(x.shape[0], -1)
    features = x.shape[1]
    options = {id(model): {"zipmap": False}} if hasattr(model, "classes_") else None
    onx = convert_sklearn(
        model,
        initial_types=[("input", FloatTensorType([1, features]))],
        target_opset=OPSET,
        options=options,
    )
    try:
        cut = _logits(onx)
    except ValueError:
        _refuse_foreign(onx, model)  # the reason a graph cannot be cut, when it is this one
        raise
    _refuse_foreign(cut, model)
    onx = cut
    onnx_path, cal_path = _paths(out_dir, name)
    _finish(onx, onnx_path)
    write_calibration(x, cal_path)
    return Exported(onnx_path, cal_path, (1, features))


def export_torch(
    module: Any, sample: Any, out_dir: PathLike, *, name: str = "model"
) -> Exported:
    """Exports a PyTorch module (in eval mode) with a batch of one and a calibration file from
    ``sample`` (a tensor or an array of samples, first axis the sample, each of the module's input
    shape without the batch axis)."""
    import onnx
    import torch

    x = torch.as_tensor(np.asarray(sample, dtype=np.float32))
    example = x[:1]
    onnx_path, cal_path = _paths(out_dir, name)
    module = module.eval()
    kwargs = dict(input_names=["input"], output_names=["output"], opset_version=OPSET)
    with torch.no_grad():
        try:
            # The TorchScript exporter writes plain operators without onnxscript.
            torch.onnx.export(module, (example,), onnx_path, dynamo=False, **kwargs)
        except TypeError:
            torch.onnx.export(module, (example,), onnx_path, **kwargs)
    _finish(onnx.load(onnx_path), onnx_path)
    write_calibration(x.numpy(), cal_path)
    return Exported(onnx_path, cal_path, tuple(example.shape))
