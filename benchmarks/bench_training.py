"""An epoch of mini-batch training through bpkit's reference functions versus the same epoch inline.

Goal (DESIGN.md): the reference runs at >= 0.9x the speed of hand-written numpy.
"""

from __future__ import annotations

import time

import numpy as np

from bpkit.datasets import load_digits
from bpkit.network import initialize_parameters, minibatches, model_backward, model_forward, one_hot, update_parameters

LAYERS = [64, 64, 10]
BATCH = 64
LR = 0.5
REPEATS = 15


def reference_epoch(params, batches):
    for X, Y in batches:
        AL, caches = model_forward(X, params)
        params = update_parameters(params, model_backward(AL, Y, caches), LR)
    return params


def inline_epoch(params, batches):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    for X, Y in batches:
        m = X.shape[1]
        Z1 = W1 @ X + b1
        A1 = np.maximum(Z1, 0)
        Z2 = W2 @ A1 + b2
        A2 = 1 / (1 + np.exp(-Z2))
        dZ2 = A2 - Y
        dW2 = dZ2 @ A1.T / m
        db2 = dZ2.sum(axis=1, keepdims=True) / m
        dZ1 = (W2.T @ dZ2) * (Z1 > 0)
        dW1 = dZ1 @ X.T / m
        db1 = dZ1.sum(axis=1, keepdims=True) / m
        W1, b1, W2, b2 = W1 - LR * dW1, b1 - LR * db1, W2 - LR * dW2, b2 - LR * db2
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}


def best_time(epoch, params, batches) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        epoch(params, batches)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> float:
    digits = load_digits()
    X, Y = digits.X_train, one_hot(digits.y_train, 10)
    batches = minibatches(X, Y, BATCH, np.random.default_rng(0))
    params = initialize_parameters(LAYERS, seed=0)
    a, b = reference_epoch(params, batches), inline_epoch(params, batches)
    assert all(np.allclose(a[k], b[k]) for k in a), "the two epochs must compute the same thing"
    ref, inline = best_time(reference_epoch, params, batches), best_time(inline_epoch, params, batches)
    ratio = inline / ref
    print(
        f"epoch of {len(batches)} mini-batches: reference {ref * 1e3:.1f} ms, inline {inline * 1e3:.1f} ms; "
        f"reference speed = {ratio:.2f}x inline (goal >= 0.9x)"
    )
    return ratio


if __name__ == "__main__":
    main()
