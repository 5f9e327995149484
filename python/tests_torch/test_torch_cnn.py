"""A small PyTorch CNN trained on scikit-learn's digits, exported with zkinfer.export.export_torch,
set up, proven in zero knowledge, verified, a tampered proof rejected, and the quantized model's
accuracy measured. Needs torch (python/requirements-torch.txt); CI runs it with python/tests."""

import sys
import pathlib

import numpy as np
import torch
from torch import nn

import zkinfer
from zkinfer.export import export_torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "tests"))
from helpers import spread, tamper_outcomes  # noqa: E402


def digits():
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    x, y = load_digits(return_X_y=True)
    x = (x / 16.0).astype(np.float32).reshape(-1, 1, 8, 8)
    return train_test_split(x, y, test_size=0.25, random_state=0)


def train(xtr, ytr):
    torch.manual_seed(0)
    net = nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1),
        nn.ReLU(),
        nn.AvgPool2d(2),
        nn.Conv2d(4, 8, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(32, 10),
    )
    opt = torch.optim.Adam(net.parameters(), lr=0.01)
    x, y = torch.from_numpy(xtr), torch.from_numpy(ytr).long()
    for _ in range(40):
        for i in range(0, len(x), 64):
            opt.zero_grad()
            nn.functional.cross_entropy(net(x[i : i + 64]), y[i : i + 64]).backward()
            opt.step()
    return net.eval()


def test_torch_cnn(tmp_path):
    xtr, xte, ytr, yte = digits()
    net = train(xtr, ytr)
    with torch.no_grad():
        float_acc = float((net(torch.from_numpy(xte)).argmax(1).numpy() == yte).mean())
    exported = export_torch(net, xtr[:200], tmp_path, name="digits_cnn")
    assert exported.input_shape == (1, 1, 8, 8)
    keys = zkinfer.setup(exported.model, exported.calibration, tmp_path / "keys")
    proved = zkinfer.prove(keys, xte[0])
    with torch.no_grad():
        want = int(net(torch.from_numpy(xte[:1])).argmax(1)[0])
    assert int(np.argmax(proved.output)) == want
    assert zkinfer.verify(keys.verifier_key, proved, input=xte[0]).valid

    def check(p):
        return zkinfer.verify(keys.verifier_key, p, input=xte[0])

    assert tamper_outcomes(check, proved.proof, spread(len(proved.proof), 16)) >= 8
    acc = zkinfer.accuracy(exported.model, exported.calibration, xte, yte)
    print(f"torch CNN: float {acc.float_accuracy:.4f}, quantized {acc.quantized_accuracy:.4f}")
    assert abs(acc.float_accuracy - float_acc) < 0.01
    assert acc.quantized_accuracy > 0.85 and acc.agreement > 0.95
