"""Losses (per example) and costs (mean over the m examples), with gradients.

Loss C is defined on one example, cost J is the mean of the loss over the batch.
Predictions ``AL`` and targets ``Y`` have shape ``(n[L], m)``, one example per
column. ``*_loss`` return the per-example losses, shape ``(1, m)``;
``*_cost`` return a float; ``*_loss_gradient`` return dC/dAL per example (shape
of ``AL``), which is what backpropagation starts from; divide by m for dJ/dAL.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.float64]

EPSILON = 1e-12
"""Predictions are clipped to [EPSILON, 1 - EPSILON] before taking logs."""


def _pair(AL: ArrayLike, Y: ArrayLike) -> tuple[Array, Array]:
    AL = np.asarray(AL, dtype=float)
    Y = np.asarray(Y, dtype=float)
    if AL.shape != Y.shape:
        raise ValueError(f"predictions have shape {AL.shape} but targets have shape {Y.shape}")
    return AL, Y


def squared_error_loss(AL: ArrayLike, Y: ArrayLike) -> Array:
    """C = 1/2 * sum over output units of (a - y)^2, per example: shape (1, m)."""
    AL, Y = _pair(AL, Y)
    return 0.5 * np.sum((AL - Y) ** 2, axis=0, keepdims=True)


def squared_error_cost(AL: ArrayLike, Y: ArrayLike) -> float:
    """J = 1/(2m) * sum of squared errors: the mean of ``squared_error_loss``."""
    return float(np.mean(squared_error_loss(AL, Y)))


def squared_error_loss_gradient(AL: ArrayLike, Y: ArrayLike) -> Array:
    """dC/dAL = AL - Y (the 1/2 cancels the 2 of the square)."""
    AL, Y = _pair(AL, Y)
    return AL - Y


def cross_entropy_loss(AL: ArrayLike, Y: ArrayLike) -> Array:
    """Binary cross-entropy per example, summed over output units: shape (1, m)."""
    AL, Y = _pair(AL, Y)
    A = np.clip(AL, EPSILON, 1.0 - EPSILON)
    return -np.sum(Y * np.log(A) + (1.0 - Y) * np.log(1.0 - A), axis=0, keepdims=True)


def cross_entropy_cost(AL: ArrayLike, Y: ArrayLike) -> float:
    """J = -1/m * sum(y log a + (1 - y) log(1 - a)): the mean of ``cross_entropy_loss``."""
    return float(np.mean(cross_entropy_loss(AL, Y)))


def cross_entropy_loss_gradient(AL: ArrayLike, Y: ArrayLike) -> Array:
    """dC/dAL = -y/a + (1 - y)/(1 - a)."""
    AL, Y = _pair(AL, Y)
    A = np.clip(AL, EPSILON, 1.0 - EPSILON)
    return -Y / A + (1.0 - Y) / (1.0 - A)


def softmax(Z: ArrayLike) -> Array:
    """Column-wise softmax, shifted by the column max so exp never overflows."""
    Z = np.asarray(Z, dtype=float)
    e = np.exp(Z - np.max(Z, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)


def categorical_cross_entropy_loss(AL: ArrayLike, Y: ArrayLike) -> Array:
    """Multiclass cross-entropy -sum_k y_k log a_k per example, for one-hot Y: shape (1, m)."""
    AL, Y = _pair(AL, Y)
    return -np.sum(Y * np.log(np.clip(AL, EPSILON, 1.0)), axis=0, keepdims=True)


def categorical_cross_entropy_cost(AL: ArrayLike, Y: ArrayLike) -> float:
    """Mean multiclass cross-entropy over the m examples."""
    return float(np.mean(categorical_cross_entropy_loss(AL, Y)))


def categorical_cross_entropy_loss_gradient(AL: ArrayLike, Y: ArrayLike) -> Array:
    """dC/dAL = -y / a. (After a softmax, dC/dZ simplifies to AL - Y.)"""
    AL, Y = _pair(AL, Y)
    return -Y / np.clip(AL, EPSILON, 1.0)
