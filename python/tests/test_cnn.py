"""The repository's trained digits CNN (fixtures/models/digits_cnn_small: Conv, ReLU, average and
max pooling, Gemm) given as bytes, calibrated from its file, proven in zero knowledge on NumPy
inputs, verified, tampered with, and its quantized accuracy measured."""

import numpy as np

import zkinfer
from conftest import CNN
from helpers import spread, tamper_outcomes


def test_cnn_proves_verifies_and_rejects_tampering(cnn_test_set, tmp_path):
    images, labels = cnn_test_set
    model = (CNN / "network.onnx").read_bytes()
    keys = zkinfer.setup(model, CNN / "calibration.json", tmp_path, model_name="digits_cnn_small")
    assert keys.zero_knowledge and keys.verifier_key_bytes < keys.prover_key_bytes
    right = 0
    for image, label in zip(images[:3], labels[:3]):
        proved = zkinfer.prove(keys, image)
        assert proved.output.shape == (10,)
        result = zkinfer.verify(keys.verifier_key, proved.proof, input=image)
        assert result.valid, result.error
        np.testing.assert_array_equal(result.output_quantized, proved.output_quantized)
        # The proven output is the integer model's: the same as `run` computes.
        run = zkinfer.run(
            model,
            CNN / "calibration.json",
            image,
            act_bits=keys.act_bits,
            model_name="digits_cnn_small",
        )
        np.testing.assert_allclose(run.quantized_output[0], proved.output, rtol=0, atol=1e-12)
        right += int(np.argmax(proved.output) == label)
    assert right >= 2
    proof = proved.proof

    def check(p):
        return zkinfer.verify(keys.verifier_key, p, input=images[2])

    invalid = tamper_outcomes(check, proof, spread(len(proof), 16))
    assert invalid >= 8, f"only {invalid} of 16 changed proofs reached the verifier"


def test_cnn_accuracy(cnn_test_set, cnn_meta):
    images, labels = cnn_test_set
    acc = zkinfer.accuracy(CNN / "network.onnx", CNN / "calibration.json", images, labels)
    from_file = zkinfer.accuracy(CNN / "network.onnx", CNN / "calibration.json", CNN / "test_set.json")
    print(
        f"digits CNN: float {acc.float_accuracy:.4f}, quantized {acc.quantized_accuracy:.4f}, "
        f"agreement {acc.agreement:.4f}"
    )
    assert acc == from_file
    assert abs(acc.float_accuracy - cnn_meta["sample_float_acc"]) < 1e-9
    assert acc.quantized_accuracy >= 0.9 and acc.agreement >= 0.95
