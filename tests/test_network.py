import numpy as np
import pytest

from bpkit import losses, network
from bpkit.datasets import xor


def test_count_parameters_matches_formula():
    d, q, l = 4, 7, 3
    assert network.count_parameters([d, q, l]) == (d + l + 1) * q + l
    assert network.count_parameters([2, 1]) == 3


def test_initialize_parameters_follows_the_contract():
    params = network.initialize_parameters([3, 4, 2], seed=5)
    rng = np.random.default_rng(5)
    W1 = rng.standard_normal((4, 3)) * np.sqrt(2 / 3)
    W2 = rng.standard_normal((2, 4)) * np.sqrt(2 / 4)
    np.testing.assert_array_equal(params["W1"], W1)
    np.testing.assert_array_equal(params["W2"], W2)
    np.testing.assert_array_equal(params["b1"], np.zeros((4, 1)))
    assert set(params) == {"W1", "b1", "W2", "b2"}


def test_forward_shapes_and_caches():
    params = network.initialize_parameters([3, 5, 2], seed=0)
    X = np.random.default_rng(1).normal(size=(3, 7))
    AL, caches = network.model_forward(X, params)
    assert AL.shape == (2, 7) and len(caches) == 2
    (A_prev, W, b), Z = caches[0]
    assert A_prev is X and W is params["W1"] and Z.shape == (5, 7)
    np.testing.assert_allclose(Z, params["W1"] @ X + params["b1"])
    assert np.all((AL > 0) & (AL < 1))


def test_linear_backward_averages_over_m():
    rng = np.random.default_rng(0)
    A_prev, W, b = rng.normal(size=(3, 4)), rng.normal(size=(2, 3)), rng.normal(size=(2, 1))
    dZ = rng.normal(size=(2, 4))
    dA_prev, dW, db = network.linear_backward(dZ, (A_prev, W, b))
    np.testing.assert_allclose(dW, dZ @ A_prev.T / 4)
    np.testing.assert_allclose(db, dZ.sum(axis=1, keepdims=True) / 4)
    np.testing.assert_allclose(dA_prev, W.T @ dZ)


def test_relu_backward_is_zero_at_the_kink():
    np.testing.assert_array_equal(network.relu_backward(np.ones((1, 3)), np.array([[-1.0, 0.0, 2.0]])), [[0, 0, 1]])


def test_update_parameters_steps_downhill_and_leaves_input():
    params = {"W1": np.ones((2, 2)), "b1": np.zeros((2, 1))}
    grads = {"dW1": np.full((2, 2), 2.0), "db1": np.ones((2, 1))}
    new = network.update_parameters(params, grads, 0.5)
    np.testing.assert_array_equal(new["W1"], np.zeros((2, 2)))
    np.testing.assert_array_equal(new["b1"], -0.5 * np.ones((2, 1)))
    np.testing.assert_array_equal(params["W1"], np.ones((2, 2)))


def test_predict_threshold_and_argmax():
    params = {"W1": np.array([[1.0], [-1.0], [0.0]]), "b1": np.zeros((3, 1))}
    X = np.array([[2.0, -2.0]])
    np.testing.assert_array_equal(network.predict(X, params), [[0, 1]])
    binary = {"W1": np.array([[1.0]]), "b1": np.zeros((1, 1))}
    np.testing.assert_array_equal(network.predict(np.array([[-1.0, 0.0, 1.0]]), binary), [[0, 0, 1]])
    assert network.accuracy(np.array([[1, 0, 1]]), np.array([[1, 1, 1]])) == pytest.approx(2 / 3)


def test_one_hot():
    np.testing.assert_array_equal(network.one_hot(np.array([[2, 0]]), 3), [[0, 1], [0, 0], [1, 0]])


def test_minibatches_cover_every_example_once():
    X = np.arange(10.0).reshape(1, 10)
    batches = network.minibatches(X, X, 4, np.random.default_rng(0))
    assert [b[0].shape[1] for b in batches] == [4, 4, 2]
    assert sorted(np.concatenate([b[0] for b in batches], axis=1).ravel()) == list(range(10))


def test_train_learns_xor_and_cost_falls():
    X, Y = xor()
    params, costs = network.train(X, Y, [2, 8, 1], learning_rate=0.5, num_epochs=1500, seed=1)
    assert costs[-1] < 0.1 * costs[0]
    np.testing.assert_array_equal(network.predict(X, params), Y)


def test_train_reports_divergence():
    X, Y = xor()
    big = np.ones((1, 4)) * 1e3
    with pytest.raises(network.TrainingDiverged, match="epoch"):
        network.train(X * big, Y, [2, 4, 1], learning_rate=1e200, num_epochs=5)


def test_unknown_activation_is_named():
    with pytest.raises(ValueError, match="tanh"):
        network.linear_activation_forward(np.ones((1, 1)), np.ones((1, 1)), np.zeros((1, 1)), "tanh")


def test_train_with_a_softmax_output_records_the_categorical_cost():
    X, y = xor()
    Y = network.one_hot(y, 2)
    params, costs = network.train(X, Y, [2, 4, 2], learning_rate=0.5, num_epochs=300, output="softmax")
    assert costs[0] == pytest.approx(np.log(2), abs=0.2)  # two classes, nothing learnt yet: about ln 2
    AL, _ = network.model_forward(X, params, output="softmax")
    assert costs[-1] == pytest.approx(losses.categorical_cross_entropy_cost(AL, Y))
    assert costs[-1] < 0.1
    np.testing.assert_array_equal(network.predict(X, params), y)  # argmax of softmax = argmax of Z = argmax of sigmoid


def test_unknown_output_is_named():
    with pytest.raises(ValueError, match="softmax"):
        network.model_forward(np.ones((2, 1)), network.initialize_parameters([2, 1]), output="tanh")
