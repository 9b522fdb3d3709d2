"""Gradient descent on functions of one variable or of a vector, and what its outcome was.

``x_new = x_old - learning_rate * f'(x_old)``. On a quadratic with curvature L
(f'' = L) each step multiplies the distance to the minimum by (1 - eta L), so
the run converges for eta < 2/L, oscillates when eta > 1/L, and diverges for
eta > 2/L: the threshold is exact.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.float64]


def numerical_derivative(f: Callable[[float], float], x: float, h: float = 1e-5) -> float:
    """Central difference (f(x + h) - f(x - h)) / (2h): error O(h^2), not O(h)."""
    return (f(x + h) - f(x - h)) / (2 * h)


def gradient_descent(
    df: Callable[[ArrayLike], ArrayLike], x0: ArrayLike, learning_rate: float, num_steps: int
) -> Array:
    """Trajectory [x0, x1, ..., x_num_steps] of x <- x - learning_rate * df(x).

    Works for scalars (returns shape (num_steps + 1,)) and vectors (returns
    (num_steps + 1, n)). Once x stops being finite the rest of the path is
    inf/NaN; the caller decides what that means (see ``classify_run``).
    """
    x = np.asarray(x0, dtype=float)
    path = np.empty((num_steps + 1,) + x.shape)
    path[0] = x
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(1, num_steps + 1):
            x = x - learning_rate * np.asarray(df(x), dtype=float)
            path[k] = x
    return path


@dataclass(frozen=True)
class Outcome:
    """What a gradient-descent run did, in words a learner can read."""

    kind: str  # "converges", "zig-zags", "oscillates", "diverges" or "crawls"
    steps: int | None  # steps to converge, or the step where it blew up
    text: str


def classify_run(path: ArrayLike, x_min: ArrayLike, tol: float = 1e-3, blowup: float = 1e6) -> Outcome:
    """Classify a trajectory against the known minimiser ``x_min``.

    converges: the distance to x_min falls below ``tol`` (reported: first such step);
    diverges: the distance exceeds ``blowup`` or stops being finite (reported: that step),
    or ends larger than it started;
    zig-zags: still far but closer, most steps jumping across the minimum;
    oscillates: most steps jump across the minimum, and it gets no closer;
    crawls: still far, approaching from one side.
    """
    path = np.asarray(path, dtype=float)
    offsets = path - np.asarray(x_min, dtype=float)
    if offsets.ndim == 1:
        offsets = offsets[:, None]
    with np.errstate(over="ignore", invalid="ignore"):
        dist = np.linalg.norm(offsets, axis=1)
    bad = ~np.isfinite(dist) | (dist > blowup)
    if bad.any():
        k = int(np.argmax(bad))
        return Outcome("diverges", k, f"Diverges: the distance to the minimum passed {blowup:g} at step {k}.")
    n = len(path) - 1
    jumps = np.einsum("ij,ij->i", offsets[1:], offsets[:-1]) < 0
    close = dist < tol
    if close.any():
        k = int(np.argmax(close))
        style = ", zig-zagging across the minimum" if k and jumps[:k].sum() > k / 2 else ""
        steps = "1 step" if k == 1 else f"{k} steps"
        return Outcome("converges", k, f"Converges in {steps}{style} (within {tol:g} of the minimum).")
    if dist[-1] > dist[0]:
        return Outcome(
            "diverges",
            None,
            f"Diverges: the distance to the minimum grew from {dist[0]:.3g} to {dist[-1]:.3g} in {n} steps.",
        )
    if jumps.sum() > n / 2 and dist[-1] < dist[0]:
        return Outcome(
            "zig-zags",
            None,
            f"Zig-zags toward the minimum: crosses it {int(jumps.sum())} times in {n} steps, "
            f"still {dist[-1]:.3g} away.",
        )
    if jumps.sum() > n / 2:
        return Outcome(
            "oscillates",
            None,
            f"Oscillates: bounces across the minimum {int(jumps.sum())} times in {n} steps without getting "
            f"closer ({dist[-1]:.3g} away).",
        )
    return Outcome("crawls", None, f"Still {dist[-1]:.3g} from the minimum after {n} steps: the step is small.")
