# Type stubs of the native module (crates/py): the Python layer (zkinfer/_api.py) is its only
# caller; use the functions of `zkinfer` instead.
from typing import Any, Callable, Dict, List, Optional

class ZkinferError(Exception):
    """An error from zkinfer: ``str(e)`` is its message, ``e.kind`` its kind."""

    kind: str

def setup(
    model_path: Optional[str],
    model_bytes: Optional[bytes],
    model_name: str,
    calibration_path: Optional[str],
    calibration: Optional[List[List[float]]],
    out_dir: str,
    zero_knowledge: Optional[bool],
    force: bool,
    weight_bits: Optional[int],
    act_bits: Optional[int],
    progress_callback: Optional[Callable[[str], None]],
) -> Dict[str, Any]: ...
def prove(
    keys_dir: str,
    input_path: Optional[str],
    input: Optional[List[float]],
    private_input: bool,
    progress_callback: Optional[Callable[[str], None]],
) -> Dict[str, Any]: ...
def verify(
    key_path: Optional[str],
    key_bytes: Optional[bytes],
    proof_path: Optional[str],
    proof_bytes: Optional[bytes],
    input_path: Optional[str],
    input: Optional[List[float]],
    opening_path: Optional[str],
    opening_json: Optional[str],
) -> Dict[str, Any]: ...
def run(
    model_path: Optional[str],
    model_bytes: Optional[bytes],
    model_name: str,
    calibration_path: Optional[str],
    calibration: Optional[List[List[float]]],
    input_path: Optional[str],
    input: Optional[List[float]],
    weight_bits: Optional[int],
    act_bits: Optional[int],
) -> Dict[str, Any]: ...
def accuracy(
    model_path: Optional[str],
    model_bytes: Optional[bytes],
    model_name: str,
    calibration_path: Optional[str],
    calibration: Optional[List[List[float]]],
    test_path: Optional[str],
    inputs: Optional[List[List[float]]],
    labels: Optional[List[int]],
    weight_bits: Optional[int],
    act_bits: Optional[int],
) -> Dict[str, Any]: ...
