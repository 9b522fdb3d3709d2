"""Small datasets for the notebooks, one example per column.

Every function returns ``X`` of shape ``(n_features, m)`` (float) and labels
``Y`` of shape ``(1, m)``: ``int64`` class labels for classification, float
targets for ``linear_data``. Random draws come from ``np.random.default_rng(seed)``,
so the same arguments always give the same arrays. Nothing is downloaded: the
digits are read from ``assets/digits.npz`` in the repository (see
``assets/README.md``). Importing this module only needs numpy.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.float64]
Labels = NDArray[np.int64]

DIGITS_PATH = Path(__file__).resolve().parent.parent / "assets" / "digits.npz"
"""Where ``load_digits`` looks for the 8x8 digits (made as ``assets/README.md`` says)."""

GATE_INPUTS = np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]])
"""The four inputs (0,0), (0,1), (1,0), (1,1) as columns, shape (2, 4)."""

GATES: dict[str, tuple[int, int, int, int]] = {
    "AND": (0, 0, 0, 1),
    "OR": (0, 1, 1, 1),
    "NAND": (1, 1, 1, 0),
    "NOR": (1, 0, 0, 0),
    "XOR": (0, 1, 1, 0),
    "XNOR": (1, 0, 0, 1),
}
"""Gate name -> outputs for the columns of ``GATE_INPUTS``."""

LINEAR_W = 2.0
LINEAR_B = -1.0
"""True weight and bias behind ``linear_data()`` with its defaults: y = 2 x - 1 + noise."""


# --- logic gates ------------------------------------------------------------------


def gate(name: str) -> tuple[Array, Labels]:
    """Truth table of a two-input gate ("AND", "OR", "NAND", "NOR", "XOR", "XNOR").

    Returns ``X`` (2, 4) float with columns (0,0), (0,1), (1,0), (1,1) and ``Y``
    (1, 4) int64. The name is case-insensitive.
    """
    key = name.upper()
    if key not in GATES:
        raise ValueError(f"unknown gate {name!r}: use one of {', '.join(GATES)}")
    return GATE_INPUTS.copy(), np.array([GATES[key]], dtype=np.int64)


def xor() -> tuple[Array, Labels]:
    """The XOR truth table: Y = [[0, 1, 1, 0]], the classic problem one neuron cannot solve."""
    return gate("XOR")


# --- 2-D classification -------------------------------------------------------------


def _class_sizes(m: int, k: int) -> list[int]:
    """Split m examples into k classes as evenly as possible (earlier classes get the extra)."""
    if m < k:
        raise ValueError(f"need at least {k} examples (one per class), got m={m}")
    return [m // k + (c < m % k) for c in range(k)]


def _check_noise(noise: float) -> None:
    if noise < 0:
        raise ValueError(f"noise must be >= 0, got {noise}")


def _shuffle_columns(X: Array, Y: Labels, rng: np.random.Generator) -> tuple[Array, Labels]:
    """Mix the classes, so that any slice of the columns holds both."""
    order = rng.permutation(X.shape[1])
    return X[:, order], Y[:, order]


def moons(m: int = 200, noise: float = 0.1, seed: int = 0) -> tuple[Array, Labels]:
    """Two interleaving half circles: a problem a line cannot separate but a small net can.

    Class 0 lies on the upper half of the unit circle centred at (0, 0), class 1
    on the lower half of the unit circle centred at (1, 0.5); each end of one arc
    reaches inside the other. ``noise`` is the standard deviation of Gaussian
    jitter added to both coordinates. Classes are balanced (sizes differ by at
    most one) and the columns are shuffled.
    """
    _check_noise(noise)
    rng = np.random.default_rng(seed)
    m0, m1 = _class_sizes(m, 2)
    t0 = np.linspace(0.0, np.pi, m0)
    t1 = np.linspace(0.0, np.pi, m1)
    upper = np.vstack([np.cos(t0), np.sin(t0)])
    lower = np.vstack([1.0 - np.cos(t1), 0.5 - np.sin(t1)])
    X = np.hstack([upper, lower]) + rng.normal(scale=noise, size=(2, m))
    Y = np.repeat(np.array([[0, 1]], dtype=np.int64), [m0, m1], axis=1)
    return _shuffle_columns(X, Y, rng)


def spirals(m: int = 200, noise: float = 0.2, seed: int = 0, turns: float = 1.0) -> tuple[Array, Labels]:
    """Two interleaved spiral arms, the classic hard case for a shallow network.

    Along each arm the radius grows from 0 to 1 while the angle sweeps ``turns``
    full turns; arm 1 is arm 0 rotated by 180 degrees. ``noise`` is the standard
    deviation of Gaussian jitter added to each point's angle, in radians (as in
    the CS231n spiral), so the arms stay apart at every radius. Classes are
    balanced and the columns are shuffled.
    """
    _check_noise(noise)
    rng = np.random.default_rng(seed)
    sizes = _class_sizes(m, 2)
    arms = []
    for label, size in enumerate(sizes):
        r = np.linspace(0.0, 1.0, size)
        angle = 2 * np.pi * turns * r + np.pi * label + rng.normal(scale=noise, size=size)
        arms.append(r * np.vstack([np.cos(angle), np.sin(angle)]))
    Y = np.repeat(np.array([[0, 1]], dtype=np.int64), sizes, axis=1)
    return _shuffle_columns(np.hstack(arms), Y, rng)


def blobs(
    m: int = 200,
    centers: int | ArrayLike = 3,
    spread: float = 0.5,
    seed: int = 0,
) -> tuple[Array, Labels]:
    """Gaussian clusters, one class each: the easy, (nearly) linearly separable case.

    ``centers`` is either a number k of clusters, placed evenly on a circle of
    radius 2 around the origin, or an array of centres with one centre per
    COLUMN, shape (n_features, k). ``spread`` is the standard deviation of each
    cluster. Labels are 0..k-1, classes balanced, columns shuffled.
    """
    _check_noise(spread)
    rng = np.random.default_rng(seed)
    if np.ndim(centers) == 0:
        k = int(centers)  # type: ignore[arg-type]
        angles = 2 * np.pi * np.arange(k) / k
        C = 2.0 * np.vstack([np.cos(angles), np.sin(angles)])
    else:
        C = np.asarray(centers, dtype=float)
        if C.ndim != 2:
            raise ValueError(f"centers must have shape (n_features, k), got {C.shape}")
    sizes = _class_sizes(m, C.shape[1])
    X = np.repeat(C, sizes, axis=1) + rng.normal(scale=spread, size=(C.shape[0], m))
    Y = np.repeat(np.arange(C.shape[1], dtype=np.int64), sizes).reshape(1, m)
    return _shuffle_columns(X, Y, rng)


# --- regression ---------------------------------------------------------------------


def linear_data(
    m: int = 100,
    w: float | Sequence[float] = LINEAR_W,
    b: float = LINEAR_B,
    noise: float = 0.1,
    seed: int = 0,
) -> tuple[Array, Array]:
    """Data for fitting one linear unit by gradient descent: y = w^T x + b + noise.

    ``X`` has one row per entry of ``w`` (with the default scalar ``w`` it is
    (1, m), so the data can be drawn as a scatter plot) and is uniform in
    [-1, 1]. ``y`` is (1, m) float with Gaussian noise of standard deviation
    ``noise``. The defaults give the line y = 2 x - 1 (``LINEAR_W``, ``LINEAR_B``),
    which gradient descent should recover.
    """
    _check_noise(noise)
    rng = np.random.default_rng(seed)
    w_col = np.asarray(w, dtype=float).reshape(-1, 1)
    X = rng.uniform(-1.0, 1.0, size=(w_col.shape[0], m))
    y = w_col.T @ X + b + rng.normal(scale=noise, size=(1, m))
    return X, y


# --- train / test split -------------------------------------------------------------


def _test_count(m: int, test_fraction: float) -> int:
    """round(test_fraction * m), halves rounded up."""
    if not 0.0 <= test_fraction < 1.0:
        raise ValueError(f"test_fraction must be in [0, 1), got {test_fraction}")
    return math.floor(test_fraction * m + 0.5)


def _stratified_counts(counts: NDArray[np.int64], n_test: int) -> NDArray[np.int64]:
    """Per-class test sizes proportional to ``counts`` that add up to exactly ``n_test``.

    Largest-remainder rounding: floor every quota, then give the leftover slots
    to the classes with the largest fractional parts (ties to the lower class).
    """
    quotas = counts * (n_test / counts.sum())
    sizes = np.floor(quotas).astype(np.int64)
    leftover = n_test - int(sizes.sum())
    sizes[np.argsort(-(quotas - sizes), kind="stable")[:leftover]] += 1
    return sizes


def split_indices(
    labels: ArrayLike, test_fraction: float = 0.2, seed: int = 0, stratify: bool = False
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Column indices (train, test) of a random split; each keeps the original order.

    The test set has round(test_fraction * m) columns. With ``stratify=True`` each
    class gets (as near as possible) the same share of the test set as of the data.
    """
    labels = np.asarray(labels).ravel()
    m = labels.size
    n_test = _test_count(m, test_fraction)
    rng = np.random.default_rng(seed)
    if not stratify:
        test = rng.permutation(m)[:n_test]
    else:
        classes, class_of = np.unique(labels, return_inverse=True)
        sizes = _stratified_counts(np.bincount(class_of), n_test)
        test = np.concatenate([rng.permutation(np.flatnonzero(class_of == c))[:size] for c, size in enumerate(sizes)])
    is_test = np.zeros(m, dtype=bool)
    is_test[test] = True
    return np.flatnonzero(~is_test), np.flatnonzero(is_test)


def train_test_split(
    X: Array, Y: ArrayLike, test_fraction: float = 0.2, seed: int = 0, stratify: bool = False
) -> tuple[Array, NDArray, Array, NDArray]:
    """Split the COLUMNS of X and Y into (X_train, Y_train, X_test, Y_test).

    Note the order: train pair first, then test pair (not scikit-learn's order).
    Same seed, same split. ``stratify=True`` keeps the class proportions of Y.
    """
    X = np.asarray(X)
    Y = np.asarray(Y)
    if X.shape[1] != Y.shape[-1]:
        raise ValueError(f"X has {X.shape[1]} columns but Y has {Y.shape[-1]}: one example per column")
    if stratify and Y.size != Y.shape[-1]:
        raise ValueError(f"stratify needs labels of shape (1, m), got Y of shape {Y.shape}")
    train, test = split_indices(Y.reshape(-1, X.shape[1])[0], test_fraction, seed, stratify)
    return X[:, train], Y[..., train], X[:, test], Y[..., test]


# --- handwritten digits -------------------------------------------------------------


@dataclass(frozen=True, eq=False)  # eq on arrays would be ambiguous
class Digits:
    """The 8x8 digits split in two: X is (64, m) in [0, 1], y is (1, m) int64 in 0..9.

    Column ``j`` of ``X_train`` is image ``X_train[:, j].reshape(images_shape)``;
    ``train_index`` / ``test_index`` give each column's row in ``assets/digits.npz``.
    """

    X_train: Array
    y_train: Labels
    X_test: Array
    y_test: Labels
    train_index: NDArray[np.int64]
    test_index: NDArray[np.int64]
    images_shape: tuple[int, int] = (8, 8)


DIGITS_MAX_PIXEL = 16
"""Pixel values in the file are counts of "on" pixels in a 4x4 block: 0..16."""


def _read_digits(path: Path) -> tuple[NDArray[np.uint8], NDArray[np.uint8]]:
    """(images (1797, 64), labels (1797,)) as stored, or a FileNotFoundError that says why."""
    if not path.is_file():
        raise FileNotFoundError(
            f"digits data not found: expected {path} (the 1797 8x8 UCI handwritten digits, "
            "uint8 arrays 'images' (1797, 64) and 'labels' (1797,), made from scikit-learn's "
            "bundled digits.csv.gz as assets/README.md explains). It is part of the course "
            "repository; nothing is downloaded at run time, so restore it with git."
        )
    with np.load(path) as data:
        return data["images"], data["labels"]


def load_digits(test_fraction: float = 0.2, seed: int = 0, path: str | Path | None = None) -> Digits:
    """The 1797 handwritten 8x8 digits, scaled to [0, 1] and split by class (stratified).

    ``X_*`` is (64, m) float64 (pixel / 16), ``y_*`` is (1, m) int64. The same seed
    gives the same split. ``path`` overrides ``DIGITS_PATH`` (for tests).
    """
    images, labels = _read_digits(Path(path) if path is not None else DIGITS_PATH)
    X = images.T.astype(np.float64) / DIGITS_MAX_PIXEL
    y = labels.astype(np.int64).reshape(1, -1)
    train, test = split_indices(y, test_fraction, seed, stratify=True)
    return Digits(
        X_train=X[:, train],
        y_train=y[:, train],
        X_test=X[:, test],
        y_test=y[:, test],
        train_index=train,
        test_index=test,
    )
