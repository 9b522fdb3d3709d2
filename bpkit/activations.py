"""Activation functions and their derivatives, elementwise on numpy arrays.

Every function takes an array (or anything ``np.asarray`` accepts) and returns a
float array of the same shape. The sigmoid is exact for any finite input and
never warns.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.float64]


def sigmoid(z: ArrayLike) -> Array:
    """Logistic function 1 / (1 + e^-z), exact for any finite z, with one exp per entry.

    For z < -709, e^-z overflows to inf and 1 / (1 + inf) is exactly 0.0, the
    right answer; the overflow is expected, so it is not reported.
    """
    z = np.asarray(z, dtype=float)
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-z))


def sigmoid_derivative(z: ArrayLike) -> Array:
    """d sigmoid / dz = s(z) (1 - s(z)), evaluated at z (not at s(z))."""
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z: ArrayLike) -> Array:
    """Hyperbolic tangent, range (-1, 1)."""
    return np.tanh(np.asarray(z, dtype=float))


def tanh_derivative(z: ArrayLike) -> Array:
    """d tanh / dz = 1 - tanh(z)^2."""
    t = tanh(z)
    return 1.0 - t * t


def relu(z: ArrayLike) -> Array:
    """max(0, z)."""
    return np.maximum(np.asarray(z, dtype=float), 0.0)


def relu_derivative(z: ArrayLike) -> Array:
    """1 where z > 0, else 0 (we take 0 at the kink z = 0)."""
    return (np.asarray(z, dtype=float) > 0).astype(float)


def step(z: ArrayLike) -> Array:
    """Heaviside step: 1 where z >= 0, else 0 (the perceptron's activation)."""
    return (np.asarray(z, dtype=float) >= 0).astype(float)


def step_derivative(z: ArrayLike) -> Array:
    """0 everywhere it exists: why a step neuron cannot be trained by gradients."""
    return np.zeros_like(np.asarray(z, dtype=float))


ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (tanh, tanh_derivative),
    "relu": (relu, relu_derivative),
    "step": (step, step_derivative),
}
"""Name -> (function, derivative), for code that picks an activation by name."""
