"""An MLPClassifier trained on scikit-learn's digits, exported with skl2onnx, set up, proven in
zero knowledge and verified from Python; a tampered proof is rejected; the quantized model's
accuracy is measured."""

import threading
import time

import numpy as np
import pytest

import zkinfer
from helpers import spread, tamper_outcomes


def test_export_is_the_classifier_logits(mlp, mlp_export, digits):
    """The exported graph computes the MLP's logits: its float run picks sklearn's classes."""
    _, xte, _, _ = digits
    agree = 0
    for x in xte[:20]:
        r = zkinfer.run(mlp_export.model, mlp_export.calibration, x)
        assert r.float_output[0].shape == (10,)
        agree += int(np.argmax(r.float_output[0]) == mlp.predict(x.reshape(1, -1))[0])
        assert r.max_abs_error < 0.5, r.max_abs_error
    assert agree >= 19, agree


def test_zero_knowledge_proof_verifies(mlp, mlp_keys, digits):
    _, xte, _, yte = digits
    assert mlp_keys.zero_knowledge
    assert mlp_keys.weight_commitment is None and len(mlp_keys.weight_digest) == 64
    proved = zkinfer.prove(mlp_keys, xte[0])
    assert proved.zero_knowledge and not proved.private_input and proved.opening is None
    assert proved.key_id == mlp_keys.key_id
    assert proved.output.shape == (10,) and proved.output_quantized.dtype == np.int64
    assert int(np.argmax(proved.output)) == mlp.predict(xte[:1])[0]
    t = proved.timings
    assert 0 < t.witness + t.commit + t.layers + t.openings <= t.total * 1.05
    result = zkinfer.verify(mlp_keys.verifier_key, proved.proof, input=xte[0])
    assert result.valid, result.error
    assert result.zero_knowledge and result.error is None
    assert result.soundness_bits is not None and result.soundness_bits > 90
    np.testing.assert_array_equal(result.output_quantized, proved.output_quantized)
    assert result.weight_digest == mlp_keys.weight_digest


def test_files_and_arrays_prove_the_same_output(mlp_keys, digits, tmp_path):
    x = digits[1][3]
    from_array = zkinfer.prove(mlp_keys.out_dir, x, out=tmp_path / "p.bin")
    from_file = zkinfer.prove(mlp_keys, zkinfer.write_input(x, tmp_path / "x.json"))
    np.testing.assert_array_equal(from_array.output_quantized, from_file.output_quantized)
    with open(tmp_path / "p.bin", "rb") as f:
        assert f.read() == from_array.proof
    result = zkinfer.verify(mlp_keys.verifier_key, tmp_path / "p.bin", tmp_path / "x.json")
    assert result.valid, result.error


def test_tampered_proof_is_rejected(mlp_keys, digits):
    x = digits[1][0]
    proof = zkinfer.prove(mlp_keys, x).proof
    assert zkinfer.verify(mlp_keys.verifier_key, proof, input=x).valid

    def check(p):
        return zkinfer.verify(mlp_keys.verifier_key, p, input=x)

    invalid = tamper_outcomes(check, proof, spread(len(proof), 24))
    assert invalid >= 12, f"only {invalid} of 24 changed proofs reached the verifier"
    # The same proof for another input.
    other = zkinfer.verify(mlp_keys.verifier_key, proof, input=digits[1][1])
    assert not other.valid and other.error_kind == "invalid_proof" and other.soundness_bits is None


def test_private_input(mlp_keys, digits):
    x = digits[1][2]
    proved = zkinfer.prove(mlp_keys, x, private_input=True)
    assert proved.private_input and proved.opening is not None
    result = zkinfer.verify(mlp_keys.verifier_key, proved, input_opening=proved.opening)
    assert result.valid and result.private_input and result.input_opening_matches
    other = zkinfer.prove(mlp_keys, digits[1][5], private_input=True).opening
    mismatch = zkinfer.verify(mlp_keys.verifier_key, proved, input_opening=other)
    assert not mismatch.valid and mismatch.input_opening_matches is False
    with pytest.raises(zkinfer.ZkinferError) as e:
        zkinfer.verify(mlp_keys.verifier_key, proved, input=x)
    assert e.value.kind == "usage" and "private input" in str(e.value)


def test_accuracy_of_the_quantized_model(mlp, mlp_export, digits):
    _, xte, _, yte = digits
    acc = zkinfer.accuracy(mlp_export.model, mlp_export.calibration, xte, yte)
    print(
        f"digits MLP: float {acc.float_accuracy:.4f}, quantized {acc.quantized_accuracy:.4f}, "
        f"agreement {acc.agreement:.4f}, {acc.weight_bits}-bit weights, "
        f"{acc.act_bits}-bit activations"
    )
    assert acc.samples == len(xte)
    # tract's float32 against scikit-learn's float64: at most a borderline sample apart.
    assert abs(acc.float_accuracy - mlp.score(xte, yte)) <= 1.5 / len(xte)
    assert acc.quantized_accuracy > 0.9 and acc.agreement > 0.97


def test_progress_is_reported_and_the_gil_released(mlp_keys, digits):
    steps = []
    result = {}

    def work():
        result["p"] = zkinfer.prove(mlp_keys, digits[1][4], progress=steps.append)

    thread = threading.Thread(target=work)
    counted = 0
    thread.start()
    start = time.perf_counter()
    while thread.is_alive():
        counted += 1
    elapsed = time.perf_counter() - start
    thread.join()
    assert "p" in result
    assert [s for s in steps if s.startswith("proving: ")] == [
        "proving: witness",
        "proving: commitments",
        "proving: layer proofs",
        "proving: openings",
    ], steps
    # This thread kept running Python while the other proved: with the GIL held it could not.
    assert counted > 1000 * max(elapsed, 0.01), (counted, elapsed)


def test_setup_in_memory_and_errors(mlp_export, digits, tmp_path):
    with open(mlp_export.model, "rb") as f:
        model = f.read()
    steps = []
    keys = zkinfer.setup(
        model, digits[0][:100], tmp_path, zero_knowledge=False, progress=steps.append
    )
    assert not keys.zero_knowledge and keys.weight_digest is None and keys.weight_commitment
    assert steps == ["quantizing the model", "committing to the weights"]
    plain = zkinfer.prove(keys, digits[1][0])
    assert not plain.zero_knowledge
    assert zkinfer.verify(keys.verifier_key, plain, digits[1][0]).valid
    with pytest.raises(zkinfer.ZkinferError) as e:
        zkinfer.setup(model, digits[0][:100], tmp_path)
    assert e.value.kind == "keys_exist" and "prover.key exists" in str(e.value)
    with pytest.raises(zkinfer.ZkinferError) as e:
        zkinfer.prove(keys, digits[1][0], private_input=True)
    assert e.value.kind == "wrong_mode"
    with pytest.raises(zkinfer.ZkinferError) as e:
        zkinfer.prove(keys, np.zeros(63))
    assert e.value.kind == "bad_input" and "63 values" in str(e.value)
    missing = tmp_path / "missing.onnx"
    with pytest.raises(zkinfer.ZkinferError) as e:
        zkinfer.setup(missing, digits[0][:10], tmp_path / "k2")
    assert e.value.kind == "bad_input" and "missing.onnx" in str(e.value)
    with pytest.raises(zkinfer.ZkinferError) as e:
        zkinfer.verify(keys.prover_key, plain.proof, digits[1][0])
    assert e.value.kind == "malformed_file"
