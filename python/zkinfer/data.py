"""Arrays to and from the JSON files the ``zkinfer`` command line reads (docs/cli.md):

- calibration: ``{"input_data": [[sample 0...], [sample 1...], ...]}``, one flat list per sample
  of a one-input model (EZKL's form, every sample concatenated in ``input_data[0]``, is read too);
- input: ``{"input_data": [[x0, x1, ...]]}``, one sample, row-major;
- test set: ``{"shape": [1, ...], "inputs": [[...], ...], "labels": [...]}``.
"""

from __future__ import annotations

import json
import os
from typing import Any, List, Optional, Sequence, Union

import numpy as np

PathLike = Union[str, "os.PathLike[str]"]


def is_path(value: Any) -> bool:
    """Whether ``value`` names a file (a ``str`` or an ``os.PathLike``)."""
    return isinstance(value, (str, os.PathLike))


def samples(values: Any, what: str) -> List[List[float]]:
    """A batch of samples (an array whose first axis is the sample) as one flat float32 list each."""
    a = np.asarray(values, dtype=np.float32)
    if a.ndim < 1 or a.shape[0] == 0:
        raise ValueError(f"{what}: expected a non-empty batch of samples, got shape {a.shape}")
    if a.ndim == 1:
        a = a.reshape(1, -1)
    return a.reshape(a.shape[0], -1).tolist()


def one_sample(values: Any) -> List[float]:
    """One sample (any shape; a leading batch axis of 1 included) as a flat float32 list."""
    return np.asarray(values, dtype=np.float32).reshape(-1).tolist()


def _write(path: PathLike, value: Any) -> str:
    path = os.fspath(path)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f)
    return path


def write_calibration(values: Any, path: PathLike) -> str:
    """Writes a batch of calibration samples (first axis: the sample) as a calibration file."""
    return _write(path, {"input_data": samples(values, "calibration")})


def write_input(values: Any, path: PathLike) -> str:
    """Writes one input sample as an input file."""
    return _write(path, {"input_data": [one_sample(values)]})


def write_test_set(
    inputs: Any,
    path: PathLike,
    labels: Optional[Sequence[int]] = None,
    shape: Optional[Sequence[int]] = None,
) -> str:
    """Writes a labelled (or unlabelled) test set file."""
    rows = samples(inputs, "test set")
    value: dict = {
        "shape": list(shape) if shape is not None else [1, len(rows[0])],
        "inputs": rows,
    }
    if labels is not None:
        value["labels"] = [int(v) for v in labels]
    return _write(path, value)
