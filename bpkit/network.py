"""Reference implementation of a fully connected network, one example per column.

These follow the course's exercise contract, so later notebooks can rely on them
once a learner has written their own version. Shapes: ``X`` is ``(n[0], m)``,
``W[l]`` is ``(n[l], n[l-1])``, ``b[l]`` is ``(n[l], 1)``, ``Z[l]`` and ``A[l]``
are ``(n[l], m)``. ``params`` is a dict ``{"W1", "b1", ...}``; ``grads`` holds
``{"dW1", "db1", ...}``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bpkit.activations import relu, sigmoid
from bpkit.losses import categorical_cross_entropy_cost, cross_entropy_cost, softmax

Array = NDArray[np.float64]
Params = dict[str, Array]
LinearCache = tuple[Array, Array, Array]
LayerCache = tuple[LinearCache, Array]

HIDDEN_ACTIVATION = "relu"
OUTPUT_ACTIVATION = "sigmoid"


def count_parameters(layer_dims: Sequence[int]) -> int:
    """Number of weights and biases: sum over layers of n[l] * n[l-1] + n[l]."""
    return sum(n * n_prev + n for n_prev, n in zip(layer_dims[:-1], layer_dims[1:], strict=False))


def num_layers(params: Params) -> int:
    """L, the number of layers with parameters (the input layer does not count)."""
    return sum(1 for key in params if key.startswith("W"))


def initialize_parameters(layer_dims: Sequence[int], seed: int = 0) -> Params:
    """He-initialised weights and zero biases, drawn in layer order from one seeded generator."""
    rng = np.random.default_rng(seed)
    params: Params = {}
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * np.sqrt(2 / layer_dims[l - 1])
        params[f"b{l}"] = np.zeros((layer_dims[l], 1))
    return params


def linear_forward(A_prev: Array, W: Array, b: Array) -> tuple[Array, LinearCache]:
    """Z = W A_prev + b; the cache keeps the inputs the backward pass needs."""
    return W @ A_prev + b, (A_prev, W, b)


def _activate(Z: Array, activation: str) -> Array:
    if activation == "sigmoid":
        return sigmoid(Z)
    if activation == "relu":
        return relu(Z)
    raise ValueError(f"unknown activation {activation!r}: use 'sigmoid' or 'relu'")


def linear_activation_forward(A_prev: Array, W: Array, b: Array, activation: str) -> tuple[Array, LayerCache]:
    """A = g(W A_prev + b) for g in {"sigmoid", "relu"}; cache = (linear_cache, Z)."""
    Z, linear_cache = linear_forward(A_prev, W, b)
    return _activate(Z, activation), (linear_cache, Z)


OUTPUTS = ("sigmoid", "softmax")
"""Output layers: one sigmoid per unit (binary cross-entropy), or a softmax over the units (categorical)."""


def model_forward(X: Array, params: Params, output: str = OUTPUT_ACTIVATION) -> tuple[Array, list[LayerCache]]:
    """Forward pass: ReLU in the hidden layers, sigmoid (or ``output="softmax"``) at the output; one cache per layer."""
    if output not in OUTPUTS:
        raise ValueError(f"unknown output {output!r}: use 'sigmoid' or 'softmax'")
    caches: list[LayerCache] = []
    A = X
    L = num_layers(params)
    for l in range(1, L):
        A, cache = linear_activation_forward(A, params[f"W{l}"], params[f"b{l}"], HIDDEN_ACTIVATION)
        caches.append(cache)
    if output == "softmax":
        Z, linear_cache = linear_forward(A, params[f"W{L}"], params[f"b{L}"])
        A, cache = softmax(Z), (linear_cache, Z)
    else:
        A, cache = linear_activation_forward(A, params[f"W{L}"], params[f"b{L}"], OUTPUT_ACTIVATION)
    caches.append(cache)
    return A, caches


def output_cost(AL: Array, Y: Array, output: str = OUTPUT_ACTIVATION) -> float:
    """The cost that goes with the output layer: binary cross-entropy for sigmoids, categorical for a softmax."""
    return categorical_cross_entropy_cost(AL, Y) if output == "softmax" else cross_entropy_cost(AL, Y)


def linear_backward(dZ: Array, cache: LinearCache, *, need_dA_prev: bool = True) -> tuple[Array | None, Array, Array]:
    """Gradients of Z = W A_prev + b, averaged over the m examples (BP3, BP4).

    ``need_dA_prev=False`` skips W^T dZ (returning None in its place): the first
    layer's input is the data, whose gradient nobody needs.
    """
    A_prev, W, _ = cache
    m = A_prev.shape[1]
    dW = (dZ @ A_prev.T) / m
    db = dZ.sum(axis=1, keepdims=True) / m
    dA_prev = W.T @ dZ if need_dA_prev else None
    return dA_prev, dW, db


def sigmoid_backward(dA: Array, Z: Array) -> Array:
    """dZ = dA * s(Z) (1 - s(Z))."""
    s = sigmoid(Z)
    return dA * s * (1.0 - s)


def relu_backward(dA: Array, Z: Array) -> Array:
    """dZ = dA where Z > 0, else 0."""
    return dA * (Z > 0)


def linear_activation_backward(
    dA: Array, cache: LayerCache, activation: str, *, need_dA_prev: bool = True
) -> tuple[Array | None, Array, Array]:
    """Backward through g then through the linear step: returns (dA_prev, dW, db)."""
    linear_cache, Z = cache
    if activation == "sigmoid":
        dZ = sigmoid_backward(dA, Z)
    elif activation == "relu":
        dZ = relu_backward(dA, Z)
    else:
        raise ValueError(f"unknown activation {activation!r}: use 'sigmoid' or 'relu'")
    return linear_backward(dZ, linear_cache, need_dA_prev=need_dA_prev)


def model_backward(AL: Array, Y: Array, caches: Sequence[LayerCache]) -> Params:
    """Gradients of the mean cross-entropy cost for the network of ``model_forward``.

    For a sigmoid output with cross-entropy, dZ[L] = AL - Y: the two derivatives
    -y/a + (1-y)/(1-a) and a(1-a) cancel, which is both faster and stable. A softmax
    output with the categorical cross-entropy gives the same dZ[L] = AL - Y, so the
    same function serves both outputs.
    """
    grads: Params = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    linear_cache, _ = caches[-1]
    dA, grads[f"dW{L}"], grads[f"db{L}"] = linear_backward(AL - Y, linear_cache, need_dA_prev=L > 1)
    for l in range(L - 1, 0, -1):
        dA, grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(
            dA, caches[l - 1], HIDDEN_ACTIVATION, need_dA_prev=l > 1
        )
    return grads


def update_parameters(params: Params, grads: Params, learning_rate: float) -> Params:
    """One gradient-descent step, theta <- theta - learning_rate * dtheta; returns new params."""
    return {key: value - learning_rate * grads[f"d{key}"] for key, value in params.items()}


def predict(X: Array, params: Params) -> NDArray[np.int64]:
    """Labels (1, m): AL > 0.5 for one output unit, the argmax over units otherwise."""
    AL, _ = model_forward(X, params)
    if AL.shape[0] == 1:
        return (AL > 0.5).astype(np.int64)
    return np.argmax(AL, axis=0).reshape(1, -1)


def accuracy(predictions: Array, labels: Array) -> float:
    """Fraction of examples whose predicted label equals the true label."""
    return float(np.mean(np.asarray(predictions).ravel() == np.asarray(labels).ravel()))


def one_hot(labels: Array, num_classes: int) -> Array:
    """Integer labels (1, m) or (m,) -> one-hot matrix (num_classes, m)."""
    labels = np.asarray(labels, dtype=np.int64).ravel()
    Y = np.zeros((num_classes, labels.size))
    Y[labels, np.arange(labels.size)] = 1.0
    return Y


def minibatches(X: Array, Y: Array, batch_size: int, rng: np.random.Generator) -> list[tuple[Array, Array]]:
    """Shuffle the columns once and cut them into batches (the last one may be smaller)."""
    m = X.shape[1]
    order = rng.permutation(m)
    return [(X[:, order[k : k + batch_size]], Y[:, order[k : k + batch_size]]) for k in range(0, m, batch_size)]


class TrainingDiverged(FloatingPointError):
    """The cost became inf or NaN: the learning rate is too large for this problem."""


def train(
    X: Array,
    Y: Array,
    layer_dims: Sequence[int],
    learning_rate: float = 0.1,
    num_epochs: int = 100,
    batch_size: int | None = None,
    seed: int = 0,
    callback: Callable[[int, float], Any] | None = None,
    output: str = OUTPUT_ACTIVATION,
) -> tuple[Params, list[float]]:
    """Mini-batch gradient descent on the cross-entropy cost; returns (params, cost per epoch).

    ``batch_size=None`` uses the whole batch. ``callback(epoch, cost)`` runs after
    each epoch (for a live cost curve). ``output="softmax"`` trains a softmax output
    layer on the categorical cross-entropy instead of one sigmoid per unit. Raises
    ``TrainingDiverged`` naming the epoch where the cost stopped being finite.
    """
    rng = np.random.default_rng(seed)
    params = initialize_parameters(layer_dims, seed)
    costs: list[float] = []
    size = batch_size or X.shape[1]
    for epoch in range(num_epochs):
        with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported below, in words
            for X_batch, Y_batch in minibatches(X, Y, size, rng):
                AL, caches = model_forward(X_batch, params, output)
                params = update_parameters(params, model_backward(AL, Y_batch, caches), learning_rate)
            cost = output_cost(model_forward(X, params, output)[0], Y, output)
        if not np.isfinite(cost):
            raise TrainingDiverged(
                f"the cost became {cost} at epoch {epoch}: learning rate {learning_rate} is too large"
            )
        costs.append(cost)
        if callback is not None:
            callback(epoch, cost)
    return params, costs
