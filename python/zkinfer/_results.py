"""Typed results of the five calls (built from the native module's dicts)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple

import numpy as np


@dataclass(frozen=True)
class SetupResult:
    """What ``setup`` wrote: the two keys (``prover.key`` is private) and the model's figures."""

    out_dir: str
    key_id: str
    model_hash: str
    zero_knowledge: bool
    weight_commitment: Optional[str]
    """Plain keys: the weight commitment (hex). ``None`` for zero-knowledge keys."""
    weight_digest: Optional[str]
    """Zero-knowledge keys: the salted weight digest (hex). ``None`` for plain keys."""
    prover_key: str
    prover_key_bytes: int
    verifier_key: str
    verifier_key_bytes: int
    weight_bits: int
    act_bits: int
    ir_nodes: int
    narrowed: List[Tuple[int, str]]
    """Automatic activation widths passed over because the model does not prove at them."""
    setup_seconds: float

    @classmethod
    def _of(cls, out_dir: str, d: Dict[str, Any]) -> "SetupResult":
        d = dict(d)
        d["prover_key"] = os.fspath(d["prover_key"])
        d["verifier_key"] = os.fspath(d["verifier_key"])
        d["narrowed"] = [tuple(x) for x in d["narrowed"]]
        return cls(out_dir=out_dir, **d)


@dataclass(frozen=True)
class Timings:
    """Seconds spent in each phase of a proof (``witness + commit + layers + openings`` is about
    ``total``; ``sumchecks`` and ``lookups`` split ``layers``)."""

    witness: float
    commit: float
    layers: float
    sumchecks: float
    lookups: float
    openings: float
    total: float


@dataclass(frozen=True)
class ProveResult:
    """A proof and what it shows: the output (dequantized and as the integers proven)."""

    key_id: str
    output: np.ndarray
    output_quantized: np.ndarray
    proof: bytes
    """The proof file's bytes (``zkinfer verify`` reads the same file)."""
    opening: Optional[str]
    """With ``private_input``: the input commitment's opening (JSON). It reveals the input:
    only the input's owner keeps it."""
    timings: Timings
    zero_knowledge: bool
    private_input: bool

    def save(self, path: "os.PathLike[str] | str") -> str:
        """Writes the proof file."""
        path = os.fspath(path)
        with open(path, "wb") as f:
            f.write(self.proof)
        return path

    @classmethod
    def _of(cls, d: Dict[str, Any]) -> "ProveResult":
        d = dict(d)
        d["output"] = np.asarray(d["output"], dtype=np.float64)
        d["output_quantized"] = np.asarray(d["output_quantized"], dtype=np.int64)
        d["timings"] = Timings(**d["timings"])
        return cls(**d)


@dataclass(frozen=True)
class VerifyResult:
    """The verdict. ``valid`` with the soundness in bits, or the reason it is not."""

    valid: bool
    soundness_bits: Optional[float]
    error_kind: Optional[str]
    """``invalid_proof`` or ``wrong_key`` (made for another verifier key) when not valid."""
    error: Optional[str]
    key_id: str
    model_hash: str
    weight_commitment: Optional[str]
    weight_digest: Optional[str]
    output: np.ndarray
    output_quantized: np.ndarray
    zero_knowledge: bool
    private_input: bool
    input_opening_matches: Optional[bool]
    verify_seconds: float

    def __bool__(self) -> bool:
        return self.valid

    @classmethod
    def _of(cls, d: Dict[str, Any]) -> "VerifyResult":
        d = dict(d)
        d["output"] = np.asarray(d["output"], dtype=np.float64)
        d["output_quantized"] = np.asarray(d["output_quantized"], dtype=np.int64)
        return cls(**d)


@dataclass(frozen=True)
class RunResult:
    """The quantized (dequantized) and the float model's outputs on one input."""

    quantized_output: List[np.ndarray]
    """Each output of the integer model, dequantized."""
    float_output: List[np.ndarray]
    """Each output of the float model."""
    max_abs_error: float
    weight_bits: int
    act_bits: int

    @classmethod
    def _of(cls, d: Dict[str, Any]) -> "RunResult":
        d = dict(d)
        return cls(
            quantized_output=[np.asarray(x, dtype=np.float64) for x in d.pop("quantized")],
            float_output=[np.asarray(x, dtype=np.float32) for x in d.pop("float")],
            **d,
        )


@dataclass(frozen=True)
class AccuracyResult:
    """Float and quantized accuracy on a test set (fractions in [0, 1]; ``None`` without labels)."""

    samples: int
    float_accuracy: Optional[float]
    quantized_accuracy: Optional[float]
    agreement: Optional[float]
    """How often the two models' argmax agree."""
    max_abs_error: float
    weight_bits: int
    act_bits: int
