"""The export helpers' refusals: models zkinfer cannot import are refused at export, naming why."""

import pytest

import zkinfer
from zkinfer.export import export_sklearn


def test_ml_domain_operators_are_refused(digits, tmp_path):
    from sklearn.linear_model import LogisticRegression

    xtr, _, ytr, _ = digits
    clf = LogisticRegression(max_iter=200).fit(xtr, ytr)
    with pytest.raises(ValueError) as e:
        export_sklearn(clf, xtr[:10], tmp_path)
    assert "ai.onnx.ml" in str(e.value) and "LinearClassifier" in str(e.value)


def test_calibration_file_is_the_cli_format(mlp_export, digits):
    import json

    with open(mlp_export.calibration, encoding="utf-8") as f:
        cal = json.load(f)
    assert list(cal) == ["input_data"] and len(cal["input_data"]) == 200
    assert all(len(row) == 64 for row in cal["input_data"])
    assert cal["input_data"][0] == pytest.approx(digits[0][0].tolist())


def test_prove_without_keys_names_the_file(tmp_path, digits):
    with pytest.raises(zkinfer.ZkinferError) as e:
        zkinfer.prove(tmp_path, digits[1][0])
    assert e.value.kind == "bad_input" and "prover.key" in str(e.value)
