"""Gradient checking by central differences.

``numerical_gradient`` differentiates any scalar function of a params dict;
``gradient_check`` compares analytic gradients with it parameter by parameter;
``gradient_report`` names every parameter whose relative error is above a
threshold, with the index of its worst entry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.float64]
Params = Mapping[str, Array]

DEFAULT_THRESHOLD = 1e-5
"""Relative errors below this are what a correct float64 gradient gives."""


def numerical_gradient(cost_fn: Callable[[Params], float], params: Params, epsilon: float = 1e-7) -> dict[str, Array]:
    """Central differences (J(p + eps) - J(p - eps)) / (2 eps) for every entry of every param.

    Returns ``{"dW1": ..., "db1": ...}``. ``params`` is restored entry by entry,
    so the caller's arrays are left unchanged.
    """
    work = {key: np.array(value, dtype=float) for key, value in params.items()}
    grads: dict[str, Array] = {}
    for key, value in work.items():
        grad = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            original = value[index]
            value[index] = original + epsilon
            plus = cost_fn(work)
            value[index] = original - epsilon
            minus = cost_fn(work)
            value[index] = original
            grad[index] = (plus - minus) / (2 * epsilon)
        grads[f"d{key}"] = grad
    return grads


def relative_error(analytic: ArrayLike, numeric: ArrayLike) -> float:
    """||a - n|| / (||a|| + ||n||); 0.0 when both are zero."""
    a = np.asarray(analytic, dtype=float)
    n = np.asarray(numeric, dtype=float)
    denominator = np.linalg.norm(a) + np.linalg.norm(n)
    if denominator == 0:
        return 0.0
    return float(np.linalg.norm(a - n) / denominator)


def _analytic(grads: Mapping[str, Array], key: str, shape: tuple[int, ...]) -> Array:
    """grads["d" + key] as a float array, or a clear error if it is missing or misshapen."""
    if f"d{key}" not in grads:
        raise KeyError(f"grads has no 'd{key}' (keys: {sorted(grads)})")
    analytic = np.asarray(grads[f"d{key}"], dtype=float)
    if analytic.shape != shape:
        raise ValueError(f"grads['d{key}'] has shape {analytic.shape} but {key} has shape {shape}")
    return analytic


def gradient_check(
    cost_fn: Callable[[Params], float],
    params: Params,
    grads: Mapping[str, Array],
    epsilon: float = 1e-7,
) -> dict[str, float]:
    """Relative error between ``grads["dW1"]`` and the numerical gradient, keyed "W1", ..."""
    numeric = numerical_gradient(cost_fn, params, epsilon)
    return {key: relative_error(_analytic(grads, key, numeric[f"d{key}"].shape), numeric[f"d{key}"]) for key in params}


@dataclass(frozen=True)
class ParameterDisagreement:
    """One parameter whose analytic gradient disagrees with the numerical one."""

    name: str
    relative_error: float
    worst_index: tuple[int, ...]
    analytic: float
    numeric: float

    def __str__(self) -> str:
        return (
            f"{self.name}: relative error {self.relative_error:.2e}; worst entry "
            f"{self.name}{list(self.worst_index)} analytic {self.analytic:.6g} vs numeric {self.numeric:.6g}"
        )


@dataclass(frozen=True)
class GradientReport:
    """Relative error per parameter and the ones above the threshold."""

    errors: dict[str, float]
    disagreements: list[ParameterDisagreement]
    threshold: float

    @property
    def ok(self) -> bool:
        return not self.disagreements

    def __str__(self) -> str:
        lines = [f"{name}: {error:.2e}" for name, error in self.errors.items()]
        if self.ok:
            lines.append(f"all gradients agree (relative error < {self.threshold:g})")
        else:
            lines.append(f"disagree (relative error >= {self.threshold:g}):")
            lines.extend(f"  {d}" for d in self.disagreements)
        return "\n".join(lines)


def gradient_report(
    cost_fn: Callable[[Params], float],
    params: Params,
    grads: Mapping[str, Array],
    threshold: float = DEFAULT_THRESHOLD,
    epsilon: float = 1e-7,
) -> GradientReport:
    """Check every parameter; name those above ``threshold`` with their worst entry."""
    numeric = numerical_gradient(cost_fn, params, epsilon)
    errors: dict[str, float] = {}
    disagreements: list[ParameterDisagreement] = []
    for key in params:
        num = numeric[f"d{key}"]
        analytic = _analytic(grads, key, num.shape)
        errors[key] = relative_error(analytic, num)
        if errors[key] >= threshold:
            worst = np.unravel_index(np.argmax(np.abs(analytic - num)), num.shape)
            index = tuple(int(i) for i in worst)
            disagreements.append(
                ParameterDisagreement(key, errors[key], index, float(analytic[index]), float(num[index]))
            )
    return GradientReport(errors, disagreements, threshold)
