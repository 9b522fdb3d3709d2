import warnings

import numpy as np
import pytest

from bpkit import activations as act

SEEDS = [0, 1, 2]


def test_sigmoid_known_values():
    np.testing.assert_allclose(act.sigmoid([0.0, np.log(3.0), -np.log(3.0)]), [0.5, 0.75, 0.25])


def test_sigmoid_is_stable_at_extremes_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = act.sigmoid(np.array([-1000.0, -800.0, 800.0, 1000.0]))
    np.testing.assert_array_equal(s, [0.0, 0.0, 1.0, 1.0])
    assert np.all(np.isfinite(act.sigmoid_derivative(np.array([-1000.0, 1000.0]))))


@pytest.mark.parametrize("seed", SEEDS)
def test_sigmoid_matches_definition_and_symmetry(seed):
    z = np.random.default_rng(seed).normal(0, 5, size=(4, 7))
    np.testing.assert_allclose(act.sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-12)
    np.testing.assert_allclose(act.sigmoid(-z), 1 - act.sigmoid(z), atol=1e-15)


def test_relu_and_step_values():
    z = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_array_equal(act.relu(z), [0, 0, 3])
    np.testing.assert_array_equal(act.relu_derivative(z), [0, 0, 1])
    np.testing.assert_array_equal(act.step(z), [0, 1, 1])
    np.testing.assert_array_equal(act.step_derivative(z), [0, 0, 0])
    np.testing.assert_allclose(act.tanh(z), np.tanh(z))


def test_shapes_are_preserved():
    z = np.zeros((3, 5))
    for name, (f, df) in act.ACTIVATIONS.items():
        assert f(z).shape == z.shape, name
        assert df(z).shape == z.shape, name
