"""Tests for bpkit.datasets: layout (one example per column), exact truth tables,
seeded reproducibility, the geometry of the toy problems, and the digits file."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bpkit import datasets
from bpkit.datasets import (
    DIGITS_PATH,
    blobs,
    gate,
    linear_data,
    load_digits,
    moons,
    spirals,
    split_indices,
    train_test_split,
    xor,
)

REPO = Path(__file__).resolve().parent.parent
README = REPO / "assets" / "README.md"

GENERATORS = {"moons": moons, "spirals": spirals, "blobs": blobs}


# --- helpers ------------------------------------------------------------------------


def linear_fit_accuracy(X: np.ndarray, Y: np.ndarray) -> float:
    """Training accuracy of the least-squares line w^T x + b fitted to +-1 targets."""
    A = np.vstack([X, np.ones(X.shape[1])]).T
    target = 2.0 * Y.ravel() - 1.0
    coef, *_ = np.linalg.lstsq(A, target, rcond=None)
    return float(np.mean((A @ coef > 0) == (target > 0)))


def nearest_neighbour_accuracy(X: np.ndarray, Y: np.ndarray) -> float:
    """Leave-one-out 1-NN accuracy: high when the classes form clean shapes."""
    d2 = ((X[:, :, None] - X[:, None, :]) ** 2).sum(axis=0)
    np.fill_diagonal(d2, np.inf)
    return float(np.mean(Y.ravel()[d2.argmin(axis=1)] == Y.ravel()))


# --- gates --------------------------------------------------------------------------

TRUTH = {
    "AND": [0, 0, 0, 1],
    "OR": [0, 1, 1, 1],
    "NAND": [1, 1, 1, 0],
    "NOR": [1, 0, 0, 0],
    "XOR": [0, 1, 1, 0],
    "XNOR": [1, 0, 0, 1],
}


def test_xor_exact():
    X, Y = xor()
    assert X.shape == (2, 4) and X.dtype == np.float64
    assert Y.shape == (1, 4) and Y.dtype == np.int64
    np.testing.assert_array_equal(X, [[0, 0, 1, 1], [0, 1, 0, 1]])
    np.testing.assert_array_equal(Y, [[0, 1, 1, 0]])


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_gate_truth_tables(name):
    X, Y = gate(name)
    assert X.shape == (2, 4) and Y.shape == (1, 4) and Y.dtype == np.int64
    np.testing.assert_array_equal(Y, [TRUTH[name]])
    # recompute each output from its own input column, so the columns cannot be misaligned
    a, b = X.astype(int)
    ops = {
        "AND": a & b,
        "OR": a | b,
        "NAND": 1 - (a & b),
        "NOR": 1 - (a | b),
        "XOR": a ^ b,
        "XNOR": 1 - (a ^ b),
    }
    np.testing.assert_array_equal(Y[0], ops[name])


def test_gate_is_case_insensitive_and_returns_fresh_arrays():
    X1, Y1 = gate("xor")
    np.testing.assert_array_equal(Y1, xor()[1])
    X1[0, 0] = 99.0
    Y1[0, 0] = 99
    np.testing.assert_array_equal(xor()[0], [[0, 0, 1, 1], [0, 1, 0, 1]])
    np.testing.assert_array_equal(xor()[1], [[0, 1, 1, 0]])


def test_gate_unknown_name():
    with pytest.raises(ValueError, match="unknown gate"):
        gate("IMPLIES")


# --- 2-D classification -------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(GENERATORS))
@pytest.mark.parametrize("m", [7, 200, 301])
def test_generator_shapes_and_balance(name, m):
    X, Y = GENERATORS[name](m=m)
    assert X.shape == (2, m) and X.dtype == np.float64
    assert Y.shape == (1, m) and Y.dtype == np.int64
    counts = np.bincount(Y.ravel())
    assert counts.max() - counts.min() <= 1, counts
    assert np.all(np.isfinite(X))


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_generator_reproducible(name):
    make = GENERATORS[name]
    X1, Y1 = make(seed=3)
    X2, Y2 = make(seed=3)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(Y1, Y2)
    X3, _ = make(seed=4)
    assert not np.allclose(X1, X3)


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_generator_columns_are_shuffled(name):
    _, Y = GENERATORS[name](m=200)
    first_half = Y.ravel()[:100]
    assert 0 < first_half.sum() < 100 * Y.max(), "classes come in blocks: columns not shuffled"


def test_binary_generators_have_labels_0_and_1():
    for make in (moons, spirals):
        assert set(np.unique(make()[1])) == {0, 1}


def test_moons_geometry_without_noise():
    X, Y = moons(m=200, noise=0.0)
    upper, lower = X[:, Y[0] == 0], X[:, Y[0] == 1]
    # class 0: upper half of the unit circle at (0, 0)
    np.testing.assert_allclose(np.hypot(upper[0], upper[1]), 1.0)
    assert upper[1].min() >= -1e-12
    # class 1: lower half of the unit circle at (1, 0.5)
    np.testing.assert_allclose(np.hypot(lower[0] - 1.0, lower[1] - 0.5), 1.0)
    assert lower[1].max() <= 0.5 + 1e-12
    # the moons interleave: a class-1 point lies inside class 0's half disc, so no line separates them
    inside = (np.hypot(lower[0], lower[1]) < 1.0) & (lower[1] > 0)
    assert inside.any()


def test_moons_noise_scale():
    X0, Y = moons(m=2000, noise=0.0, seed=1)
    X1, Y1 = moons(m=2000, noise=0.1, seed=1)
    np.testing.assert_array_equal(Y, Y1)  # same shuffle for the same seed
    assert abs(np.std(X1 - X0) - 0.1) < 0.01


def test_moons_need_a_nonlinear_model():
    X, Y = moons(m=400, noise=0.1)
    assert linear_fit_accuracy(X, Y) < 0.95
    assert nearest_neighbour_accuracy(X, Y) > 0.95


def test_spirals_arms_are_point_reflections():
    X, Y = spirals(m=200, noise=0.0, turns=1.5)
    arm0, arm1 = X[:, Y[0] == 0], X[:, Y[0] == 1]
    key = lambda A: A[:, np.lexsort(np.round(A, 9))]  # noqa: E731 (compare as sets of columns)
    np.testing.assert_allclose(key(arm1), key(-arm0), atol=1e-9)
    r = np.hypot(arm0[0], arm0[1])
    assert r.max() == pytest.approx(1.0) and r.min() == pytest.approx(0.0)


@pytest.mark.parametrize("turns", [0.75, 1.0, 2.0])
def test_spirals_angle_sweeps_the_requested_turns(turns):
    X, Y = spirals(m=400, noise=0.0, turns=turns)
    arm = X[:, Y[0] == 0]
    r = np.hypot(arm[0], arm[1])
    order = np.argsort(r)[1:]  # skip the centre point, whose angle is undefined
    angle = np.unwrap(np.arctan2(arm[1], arm[0])[order])
    assert np.all(np.diff(angle) > 0), "angle must grow with the radius"
    assert angle[-1] - angle[0] == pytest.approx(2 * np.pi * turns, rel=0.02)


def test_spirals_need_a_nonlinear_model():
    X, Y = spirals(m=400)
    assert linear_fit_accuracy(X, Y) < 0.8
    assert nearest_neighbour_accuracy(X, Y) > 0.9


def test_blobs_centres():
    centres = np.array([[0.0, 10.0], [0.0, 10.0]])
    X, Y = blobs(m=1000, centers=centres, spread=0.5, seed=2)
    assert set(np.unique(Y)) == {0, 1}
    for k in range(2):
        np.testing.assert_allclose(X[:, Y[0] == k].mean(axis=1), centres[:, k], atol=0.1)
        assert np.std(X[:, Y[0] == k]) == pytest.approx(0.5, rel=0.1)
    X, Y = blobs(m=300, centers=3)
    assert set(np.unique(Y)) == {0, 1, 2}
    assert nearest_neighbour_accuracy(X, Y) > 0.95


def test_negative_noise_rejected():
    with pytest.raises(ValueError):
        moons(noise=-0.1)


# --- linear data --------------------------------------------------------------------


def test_linear_data_defaults_recover_documented_line():
    X, y = linear_data()
    assert X.shape == (1, 100) and y.shape == (1, 100)
    assert -1 <= X.min() < -0.9 and 0.9 < X.max() <= 1  # uniform over [-1, 1]
    slope, intercept = np.polyfit(X[0], y[0], 1)
    assert slope == pytest.approx(datasets.LINEAR_W, abs=0.05)
    assert intercept == pytest.approx(datasets.LINEAR_B, abs=0.05)


def test_linear_data_without_noise_is_exact_and_multivariate():
    w, b = [1.5, -2.0, 0.5], 0.3
    X, y = linear_data(m=50, w=w, b=b, noise=0.0, seed=1)
    assert X.shape == (3, 50) and y.shape == (1, 50)
    np.testing.assert_allclose(y, np.array([w]) @ X + b)


def test_linear_data_noise_and_reproducibility():
    X, y = linear_data(m=5000, noise=0.3, seed=5)
    residual = y - (datasets.LINEAR_W * X + datasets.LINEAR_B)
    assert np.std(residual) == pytest.approx(0.3, rel=0.05)
    np.testing.assert_array_equal(linear_data(seed=5)[1], linear_data(seed=5)[1])
    assert not np.allclose(linear_data(seed=5)[1], linear_data(seed=6)[1])


# --- train / test split -------------------------------------------------------------


def test_train_test_split_columns_stay_paired():
    m = 50
    X = np.vstack([np.arange(m), -np.arange(m)]).astype(float)
    Y = np.arange(m).reshape(1, m) % 3
    X_tr, Y_tr, X_te, Y_te = train_test_split(X, Y, test_fraction=0.2, seed=1)
    assert X_tr.shape == (2, 40) and X_te.shape == (2, 10)
    assert Y_tr.shape == (1, 40) and Y_te.shape == (1, 10)
    for Xs, Ys in ((X_tr, Y_tr), (X_te, Y_te)):
        np.testing.assert_array_equal(Xs[1], -Xs[0])
        np.testing.assert_array_equal(Ys[0], Xs[0].astype(int) % 3)
    assert sorted(np.concatenate([X_tr[0], X_te[0]])) == list(range(m))


def test_split_indices_partition_and_seed():
    labels = np.repeat(np.arange(4), [10, 20, 30, 40])
    tr, te = split_indices(labels, 0.25, seed=0, stratify=True)
    assert len(te) == 25 and len(tr) == 75
    assert set(tr).isdisjoint(te) and set(tr) | set(te) == set(range(100))
    assert np.all(np.diff(tr) > 0) and np.all(np.diff(te) > 0)  # original order kept
    np.testing.assert_array_equal(np.bincount(labels[te]), [3, 5, 7, 10])  # tie: lower class
    # largest remainders: quotas 2.3, 4.6, 6.9, 9.2 for 23 test columns -> 2, 5, 7, 9
    _, te23 = split_indices(labels, 0.23, seed=0, stratify=True)
    np.testing.assert_array_equal(np.bincount(labels[te23]), [2, 5, 7, 9])
    tr2, te2 = split_indices(labels, 0.25, seed=0, stratify=True)
    np.testing.assert_array_equal(te, te2)
    _, te3 = split_indices(labels, 0.25, seed=1, stratify=True)
    assert not np.array_equal(te, te3)


@pytest.mark.parametrize("fraction", [-0.1, 1.0, 1.5])
def test_split_rejects_bad_fraction(fraction):
    with pytest.raises(ValueError, match="test_fraction"):
        split_indices(np.zeros(10), fraction)


def test_split_rejects_mismatched_columns():
    with pytest.raises(ValueError, match="one example per column"):
        train_test_split(np.zeros((2, 10)), np.zeros((1, 9)), 0.2, 0)


# --- digits -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def digits():
    return load_digits(test_fraction=0.2, seed=0)


def test_digits_file_contents():
    with np.load(DIGITS_PATH) as data:
        assert sorted(data.files) == ["images", "labels"]
        images, labels = data["images"], data["labels"]
    assert images.shape == (1797, 64) and images.dtype == np.uint8
    assert labels.shape == (1797,) and labels.dtype == np.uint8
    assert images.max() == 16 and images.min() == 0
    counts = np.bincount(labels, minlength=10)
    assert len(counts) == 10 and counts.min() >= 170 and counts.max() <= 190, counts
    assert DIGITS_PATH.stat().st_size < 200_000


def test_digits_first_image_is_a_zero():
    """Spot check against scikit-learn's load_digits(): image 0 is this 0."""
    with np.load(DIGITS_PATH) as data:
        assert data["labels"][0] == 0
        np.testing.assert_array_equal(data["images"][0].reshape(8, 8)[1], [0, 0, 13, 15, 10, 15, 5, 0])


def test_digits_shapes_and_scaling(digits):
    m_train, m_test = digits.X_train.shape[1], digits.X_test.shape[1]
    assert m_train + m_test == 1797
    assert m_test == 359  # round(0.2 * 1797)
    assert digits.X_train.shape == (64, m_train) and digits.X_test.shape == (64, m_test)
    assert digits.y_train.shape == (1, m_train) and digits.y_test.shape == (1, m_test)
    assert digits.X_train.dtype == np.float64 and digits.y_train.dtype == np.int64
    for X in (digits.X_train, digits.X_test):
        assert X.min() >= 0.0 and X.max() <= 1.0
    assert digits.X_train.max() == 1.0  # scaled by 16, not by 255 or left raw
    np.testing.assert_array_equal(np.unique(digits.y_train), np.arange(10))
    np.testing.assert_array_equal(np.unique(digits.y_test), np.arange(10))
    assert digits.images_shape == (8, 8)
    assert digits.X_train[:, 0].reshape(digits.images_shape).shape == (8, 8)


def test_digits_split_is_disjoint_and_matches_file(digits):
    tr, te = digits.train_index, digits.test_index
    assert len(np.unique(tr)) == len(tr) and len(np.unique(te)) == len(te)
    assert set(tr).isdisjoint(te)
    assert set(tr) | set(te) == set(range(1797))
    with np.load(DIGITS_PATH) as data:
        images, labels = data["images"], data["labels"]
    np.testing.assert_array_equal(digits.X_train * 16, images[tr].T)
    np.testing.assert_array_equal(digits.X_test * 16, images[te].T)
    np.testing.assert_array_equal(digits.y_train[0], labels[tr])
    np.testing.assert_array_equal(digits.y_test[0], labels[te])
    # every image in the file is distinct, so disjoint indices mean no test image is in training
    train_rows = {col.tobytes() for col in digits.X_train.T}
    assert not any(col.tobytes() in train_rows for col in digits.X_test.T)


def test_digits_split_is_stratified(digits):
    total = np.bincount(np.concatenate([digits.y_train[0], digits.y_test[0]]), minlength=10)
    test = np.bincount(digits.y_test[0], minlength=10)
    assert np.all(np.abs(test - 0.2 * total) < 1.0), test


def test_digits_split_reproducible(digits):
    again = load_digits(test_fraction=0.2, seed=0)
    np.testing.assert_array_equal(again.test_index, digits.test_index)
    np.testing.assert_array_equal(again.X_train, digits.X_train)
    other = load_digits(test_fraction=0.2, seed=1)
    assert not np.array_equal(other.test_index, digits.test_index)
    assert load_digits(test_fraction=0.5).X_test.shape == (64, 899)  # 898.5 rounds up


def test_digits_missing_file_message(tmp_path):
    missing = tmp_path / "digits.npz"
    with pytest.raises(FileNotFoundError) as info:
        load_digits(path=missing)
    message = str(info.value)
    assert str(missing) in message and "assets/README.md" in message
    assert "scikit-learn" in message and "downloaded" in message


def test_digits_checksum_matches_readme():
    match = re.search(r"SHA256 \(digits\.npz\) = ([0-9a-f]{64})", README.read_text())
    assert match, "assets/README.md must contain a line 'SHA256 (digits.npz) = <hex>'"
    assert hashlib.sha256(DIGITS_PATH.read_bytes()).hexdigest() == match.group(1)


def test_digits_path_is_inside_the_repository():
    assert DIGITS_PATH == REPO / "assets" / "digits.npz"


# --- import weight ------------------------------------------------------------------


def test_import_is_light():
    code = (
        "import sys, bpkit.datasets; "
        "heavy = [m for m in ('matplotlib', 'sklearn', 'scipy', 'pandas', 'ipywidgets') "
        "if m in sys.modules]; "
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)
