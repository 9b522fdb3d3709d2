import numpy as np
import pytest

from bpkit.descent import classify_run, gradient_descent, numerical_derivative


def test_central_difference_is_second_order():
    exact = np.cos(1.0)
    assert abs(numerical_derivative(np.sin, 1.0) - exact) < 1e-9
    forward = (np.sin(1.0 + 1e-5) - np.sin(1.0)) / 1e-5
    assert abs(numerical_derivative(np.sin, 1.0) - exact) < abs(forward - exact) / 100


def test_gradient_descent_path_on_a_quadratic():
    path = gradient_descent(lambda x: 2 * x, 3.0, 0.25, 4)
    np.testing.assert_allclose(path, 3.0 * 0.5 ** np.arange(5))


def test_gradient_descent_with_a_vector_leaves_x0_alone():
    x0 = np.array([1.0, -2.0])
    path = gradient_descent(lambda x: np.array([2.0, 20.0]) * x, x0, 0.05, 3)
    assert path.shape == (4, 2)
    np.testing.assert_allclose(path[:, 0], 0.9 ** np.arange(4))
    np.testing.assert_allclose(path[:, 1], [-2.0, 0.0, 0.0, 0.0])  # eta * L = 1: one step to the minimum
    np.testing.assert_array_equal(x0, [1.0, -2.0])


@pytest.mark.parametrize(
    "rate,kind",
    [
        (0.01, "crawls"),
        (0.3, "converges"),
        (0.9, "zig-zags"),
        (1.0, "oscillates"),
        (1.01, "diverges"),
        (3.0, "diverges"),
    ],
)
def test_the_threshold_on_a_quadratic_is_exact(rate, kind):
    """f(x) = x^2 has L = 2: eta < 1 converges, eta = 1 = 2/L oscillates forever, eta > 1 diverges."""
    assert classify_run(gradient_descent(lambda x: 2 * x, 3.0, rate, 25), 0.0).kind == kind


def test_outcome_texts_name_steps_and_blow_up():
    assert classify_run(gradient_descent(lambda x: 2 * x, 3.0, 0.5, 10), 0.0).text.startswith("Converges in 1 step ")
    blown = classify_run(gradient_descent(lambda x: 2 * x, 3.0, 3.0, 30), 0.0)
    assert blown.steps == 8 and "at step 8" in blown.text
