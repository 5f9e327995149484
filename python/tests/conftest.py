"""Shared fixtures: scikit-learn's bundled digits (no download), an MLPClassifier trained on them
and exported with zkinfer.export, and the repository's trained CNN (fixtures/models)."""

import json
import pathlib
import warnings

import numpy as np
import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
CNN = REPO / "fixtures" / "models" / "digits_cnn_small"


@pytest.fixture(scope="session")
def digits():
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    x, y = load_digits(return_X_y=True)
    x = (x / 16.0).astype(np.float32)
    return train_test_split(x, y, test_size=0.25, random_state=0)


@pytest.fixture(scope="session")
def mlp(digits):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    xtr, _, ytr, _ = digits
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return MLPClassifier(hidden_layer_sizes=(32,), max_iter=200, random_state=0).fit(xtr, ytr)


@pytest.fixture(scope="session")
def mlp_export(mlp, digits, tmp_path_factory):
    from zkinfer.export import export_sklearn

    xtr = digits[0]
    return export_sklearn(mlp, xtr[:200], tmp_path_factory.mktemp("mlp"), name="digits_mlp")


@pytest.fixture(scope="session")
def mlp_keys(mlp_export, tmp_path_factory):
    import zkinfer

    out = tmp_path_factory.mktemp("mlp_keys")
    return zkinfer.setup(mlp_export.model, mlp_export.calibration, out)


@pytest.fixture(scope="session")
def cnn_test_set():
    with open(CNN / "test_set.json", encoding="utf-8") as f:
        ts = json.load(f)
    return np.asarray(ts["inputs"], dtype=np.float32).reshape(-1, 1, 8, 8), np.asarray(ts["labels"])


@pytest.fixture(scope="session")
def cnn_meta():
    with open(CNN / "meta.json", encoding="utf-8") as f:
        return json.load(f)
