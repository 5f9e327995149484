"""zkinfer: zero-knowledge proofs that an ONNX model, with weights bound by a public commitment,
maps an input to an output.

    import zkinfer
    keys = zkinfer.setup("model.onnx", calibration, "keys/")       # quantize, bind the weights
    proved = zkinfer.prove(keys, x)                                # zero knowledge by default
    result = zkinfer.verify(keys.verifier_key, proved.proof, input=x)
    assert result.valid

Models are ONNX files or their bytes; calibration samples, inputs and test sets are JSON files (the
formats of the ``zkinfer`` command line, docs/cli.md) or NumPy arrays. Every call releases the GIL
while it works; ``setup`` and ``prove`` report their steps to an optional ``progress`` callable.
Errors raise :class:`ZkinferError` with zkinfer's message and a ``kind``. See docs/python.md.
"""

from ._api import accuracy, prove, run, setup, verify
from ._native import ZkinferError
from ._results import (
    AccuracyResult,
    ProveResult,
    RunResult,
    SetupResult,
    Timings,
    VerifyResult,
)
from .data import write_calibration, write_input, write_test_set

__all__ = [
    "AccuracyResult",
    "ProveResult",
    "RunResult",
    "SetupResult",
    "Timings",
    "VerifyResult",
    "ZkinferError",
    "accuracy",
    "prove",
    "run",
    "setup",
    "verify",
    "write_calibration",
    "write_input",
    "write_test_set",
]
