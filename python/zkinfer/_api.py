"""The five calls: arguments as paths, bytes or arrays in, typed results out."""

from __future__ import annotations

import os
from typing import Any, Callable, Optional, Sequence, Tuple, Union

from . import _native
from ._results import AccuracyResult, ProveResult, RunResult, SetupResult, VerifyResult
from .data import PathLike, is_path, one_sample, samples

Progress = Callable[[str], None]
"""Called with each long step as it starts: ``"quantizing the model"``, ``"committing to the
weights"``, ``"proving: witness"``, ``"proving: commitments"``, ``"proving: layer proofs"``,
``"proving: openings"``."""


def _model(model: Union[PathLike, bytes], name: Optional[str]) -> Tuple[Any, Any, str]:
    if isinstance(model, (bytes, bytearray, memoryview)):
        return None, bytes(model), name or "model"
    if is_path(model):
        return os.fspath(model), None, name or os.fspath(model)
    raise TypeError(f"model: expected a path or the ONNX model's bytes, got {type(model).__name__}")


def _samples(value: Any, what: str) -> Tuple[Any, Any]:
    if is_path(value):
        return os.fspath(value), None
    return None, samples(value, what)


def _input(value: Any) -> Tuple[Any, Any]:
    if value is None:
        return None, None
    if is_path(value):
        return os.fspath(value), None
    return None, one_sample(value)


def setup(
    model: Union[PathLike, bytes],
    calibration: Any,
    out_dir: PathLike,
    *,
    zero_knowledge: bool = True,
    force: bool = False,
    weight_bits: Optional[int] = None,
    act_bits: Optional[int] = None,
    model_name: Optional[str] = None,
    progress: Optional[Progress] = None,
) -> SetupResult:
    """Quantizes ``model`` (an ONNX file or its bytes), calibrated on ``calibration`` (a
    calibration file, or an array of samples whose first axis is the sample), binds its weights and
    writes ``out_dir/prover.key`` (private) and ``out_dir/verifier.key`` (public).

    The keys serve one proof mode: zero knowledge by default (the verifier key holds a salted
    digest of the weights), plain with ``zero_knowledge=False``. Keys already in ``out_dir`` are
    replaced only with ``force=True``. Without ``weight_bits``/``act_bits``, 12-bit weights and
    the widest activations (16 down to 8 bits) at which the model proves are chosen.
    """
    path, data, name = _model(model, model_name)
    cal_path, cal = _samples(calibration, "calibration")
    out = os.fspath(out_dir)
    d = _native.setup(
        path, data, name, cal_path, cal, out, zero_knowledge, force, weight_bits, act_bits, progress
    )
    return SetupResult._of(out, d)


def _keys_dir(keys: Union[SetupResult, PathLike]) -> str:
    if isinstance(keys, SetupResult):
        return keys.out_dir
    if is_path(keys):
        return os.fspath(keys)
    raise TypeError(f"keys: expected a key folder or a SetupResult, got {type(keys).__name__}")


def prove(
    keys: Union[SetupResult, PathLike],
    input: Any,
    private_input: bool = False,
    *,
    out: Optional[PathLike] = None,
    progress: Optional[Progress] = None,
) -> ProveResult:
    """Runs the model of ``keys`` (a ``SetupResult`` or the folder ``setup`` wrote) on ``input``
    (an input file or an array holding one sample) and proves the output, in the keys' mode.

    With ``private_input=True`` (zero-knowledge keys), the proof holds a commitment to the input
    instead of the input; ``ProveResult.opening`` is what its owner keeps to recognise it. With
    ``out``, the proof file is written there too.
    """
    in_path, values = _input(input)
    if in_path is None and values is None:
        raise TypeError("input: expected an input file or an array, got None")
    d = _native.prove(_keys_dir(keys), in_path, values, private_input, progress)
    result = ProveResult._of(d)
    if out is not None:
        result.save(out)
    return result


def _file_or_bytes(value: Any, what: str) -> Tuple[Any, Any]:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return None, bytes(value)
    if is_path(value):
        return os.fspath(value), None
    raise TypeError(f"{what}: expected a path or bytes, got {type(value).__name__}")


def verify(
    verifier_key: Union[PathLike, bytes],
    proof: Union[PathLike, bytes, ProveResult],
    input: Any = None,
    *,
    input_opening: Any = None,
) -> VerifyResult:
    """Checks ``proof`` (a proof file, its bytes or a ``ProveResult``) with ``verifier_key`` (a
    file or its bytes).

    A proof of a public input needs ``input`` (a file or an array, quantized as ``prove`` did); one
    of a private input refuses it, and with ``input_opening`` (``ProveResult.opening``, or a file)
    also checks that its commitment is to that input. Returns a ``VerifyResult`` whose ``valid``
    says whether the proof holds; files or arguments that cannot be used raise ``ZkinferError``.
    """
    if isinstance(proof, ProveResult):
        proof = proof.proof
    key_path, key_bytes = _file_or_bytes(verifier_key, "verifier_key")
    proof_path, proof_bytes = _file_or_bytes(proof, "proof")
    in_path, values = _input(input)
    opening_path, opening_json = None, None
    if input_opening is not None:
        if isinstance(input_opening, str) and input_opening.lstrip().startswith("{"):
            opening_json = input_opening
        elif isinstance(input_opening, dict):
            import json

            opening_json = json.dumps(input_opening)
        else:
            opening_path = os.fspath(input_opening)
    d = _native.verify(
        key_path, key_bytes, proof_path, proof_bytes, in_path, values, opening_path, opening_json
    )
    return VerifyResult._of(d)


def run(
    model: Union[PathLike, bytes],
    calibration: Any,
    input: Any,
    *,
    weight_bits: Optional[int] = None,
    act_bits: Optional[int] = None,
    model_name: Optional[str] = None,
) -> RunResult:
    """Quantizes ``model`` as ``setup`` does and runs the float and the integer model on one input:
    what quantization changes in the output."""
    path, data, name = _model(model, model_name)
    cal_path, cal = _samples(calibration, "calibration")
    in_path, values = _input(input)
    d = _native.run(path, data, name, cal_path, cal, in_path, values, weight_bits, act_bits)
    return RunResult._of(d)


def accuracy(
    model: Union[PathLike, bytes],
    calibration: Any,
    test_set: Any,
    labels: Optional[Sequence[int]] = None,
    *,
    weight_bits: Optional[int] = None,
    act_bits: Optional[int] = None,
    model_name: Optional[str] = None,
) -> AccuracyResult:
    """Quantizes ``model`` as ``setup`` does and measures the float and the quantized model on
    ``test_set`` (a test set file, or an array of samples with ``labels``): their accuracy, how
    often their argmax agree and the largest output error."""
    path, data, name = _model(model, model_name)
    cal_path, cal = _samples(calibration, "calibration")
    if is_path(test_set):
        test_path, inputs, lab = os.fspath(test_set), None, None
    else:
        test_path, inputs = None, samples(test_set, "test set")
        lab = None if labels is None else [int(v) for v in labels]
    d = _native.accuracy(
        path, data, name, cal_path, cal, test_path, inputs, lab, weight_bits, act_bits
    )
    return AccuracyResult(**d)
