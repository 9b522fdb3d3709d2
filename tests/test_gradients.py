"""Every differentiable function in bpkit agrees with central differences.

Tolerance: relative error < 1e-6 for elementwise derivatives (h = 1e-5, where
central differences are accurate to about 1e-10 on these smooth functions) and
< 1e-7 for network gradients (epsilon = 1e-6 in float64). Random inputs, 3 seeds.
"""

import numpy as np
import pytest

from bpkit import activations as act
from bpkit import losses, network
from bpkit.gradcheck import numerical_gradient, relative_error

SEEDS = [0, 1, 2]
H = 1e-5


def central(f, z):
    return (f(z + H) - f(z - H)) / (2 * H)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu"])
def test_activation_derivatives(seed, name):
    f, df = act.ACTIVATIONS[name]
    z = np.random.default_rng(seed).normal(0, 3, size=(5, 8))
    z = z[np.abs(z) > 1e-3] if name == "relu" else z  # the kink has no derivative
    assert relative_error(df(z), central(f, z)) < 1e-6


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(
    "loss,grad,kind",
    [
        (losses.squared_error_loss, losses.squared_error_loss_gradient, "real"),
        (losses.cross_entropy_loss, losses.cross_entropy_loss_gradient, "binary"),
        (losses.categorical_cross_entropy_loss, losses.categorical_cross_entropy_loss_gradient, "onehot"),
    ],
)
def test_loss_gradients(seed, loss, grad, kind):
    rng = np.random.default_rng(seed)
    if kind == "real":
        AL, Y = rng.normal(size=(3, 6)), rng.normal(size=(3, 6))
    elif kind == "binary":
        AL, Y = rng.uniform(0.05, 0.95, size=(2, 6)), rng.integers(0, 2, size=(2, 6)).astype(float)
    else:
        AL = losses.softmax(rng.normal(size=(4, 6)))
        Y = np.eye(4)[:, rng.integers(0, 4, 6)]
    numeric = numerical_gradient(lambda p: float(np.sum(loss(p["A"], Y))), {"A": AL}, epsilon=1e-6)["dA"]
    assert relative_error(grad(AL, Y), numeric) < 1e-6


@pytest.mark.parametrize("seed", SEEDS)
def test_cost_is_mean_of_loss(seed):
    rng = np.random.default_rng(seed)
    AL, Y = rng.uniform(0.1, 0.9, size=(1, 7)), rng.integers(0, 2, size=(1, 7))
    assert losses.cross_entropy_cost(AL, Y) == pytest.approx(np.mean(losses.cross_entropy_loss(AL, Y)))
    assert losses.squared_error_cost(AL, Y) == pytest.approx(np.sum((AL - Y) ** 2) / (2 * 7))
    P, T = losses.softmax(rng.normal(size=(3, 7))), np.eye(3)[:, rng.integers(0, 3, 7)]
    assert losses.categorical_cross_entropy_cost(P, T) == pytest.approx(-np.sum(T * np.log(P)) / 7)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("layer_dims", [[3, 1], [4, 5, 1], [2, 4, 3, 2]])
def test_model_backward_matches_central_differences(seed, layer_dims):
    rng = np.random.default_rng(100 + seed)
    m = 5
    X = rng.normal(size=(layer_dims[0], m))
    Y = rng.integers(0, 2, size=(layer_dims[-1], m)).astype(float)
    params = network.initialize_parameters(layer_dims, seed)
    for key in params:
        if key.startswith("b"):
            params[key] = rng.normal(0, 0.1, params[key].shape)  # nonzero biases keep ReLU off its kink
    AL, caches = network.model_forward(X, params)
    grads = network.model_backward(AL, Y, caches)

    def cost(p):
        return losses.cross_entropy_cost(network.model_forward(X, p)[0], Y)

    numeric = numerical_gradient(cost, params, epsilon=1e-6)
    for key in params:
        assert relative_error(grads[f"d{key}"], numeric[f"d{key}"]) < 1e-7, key


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("activation", ["sigmoid", "relu"])
def test_linear_activation_backward_matches_central_differences(seed, activation):
    rng = np.random.default_rng(seed)
    A_prev, W, b = rng.normal(size=(3, 4)), rng.normal(size=(2, 3)), rng.normal(size=(2, 1))
    upstream = rng.normal(size=(2, 4))  # J = sum(upstream * A), so dJ/dA = upstream

    def cost(p):
        A, _ = network.linear_activation_forward(p["A_prev"], p["W"], p["b"], activation)
        return float(np.sum(upstream * A))

    _, cache = network.linear_activation_forward(A_prev, W, b, activation)
    dA_prev, dW, db = network.linear_activation_backward(upstream, cache, activation)
    numeric = numerical_gradient(cost, {"A_prev": A_prev, "W": W, "b": b}, epsilon=1e-6)
    m = A_prev.shape[1]
    assert relative_error(dA_prev, numeric["dA_prev"]) < 1e-7
    assert relative_error(dW * m, numeric["dW"]) < 1e-7  # dW and db are averaged over m
    assert relative_error(db * m, numeric["db"]) < 1e-7


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("layer_dims", [[3, 4], [4, 5, 3], [2, 4, 3, 6]])
def test_model_backward_serves_a_softmax_output_with_categorical_cross_entropy(seed, layer_dims):
    """Softmax and categorical cross-entropy also give dZ[L] = AL - Y, so model_backward is right for them too."""
    rng = np.random.default_rng(200 + seed)
    m = 6
    X = rng.normal(size=(layer_dims[0], m))
    Y = network.one_hot(rng.integers(0, layer_dims[-1], size=(1, m)), layer_dims[-1])
    params = network.initialize_parameters(layer_dims, seed)
    for key in params:
        if key.startswith("b"):
            params[key] = rng.normal(0, 0.1, params[key].shape)
    AL, caches = network.model_forward(X, params, output="softmax")
    np.testing.assert_allclose(AL.sum(axis=0), 1.0)
    grads = network.model_backward(AL, Y, caches)

    def cost(p):
        return losses.categorical_cross_entropy_cost(network.model_forward(X, p, output="softmax")[0], Y)

    numeric = numerical_gradient(cost, params, epsilon=1e-6)
    for key in params:
        assert relative_error(grads[f"d{key}"], numeric[f"d{key}"]) < 1e-7, key
