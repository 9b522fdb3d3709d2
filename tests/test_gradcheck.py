import numpy as np
import pytest

from bpkit import gradcheck


def quadratic(p):
    return float(np.sum(p["W1"] ** 2) + 3 * np.sum(p["b1"]))


def make_params():
    rng = np.random.default_rng(0)
    return {"W1": rng.normal(size=(2, 3)), "b1": rng.normal(size=(2, 1))}


def test_numerical_gradient_of_a_quadratic_and_params_unchanged():
    params = make_params()
    before = {k: v.copy() for k, v in params.items()}
    numeric = gradcheck.numerical_gradient(quadratic, params)
    np.testing.assert_allclose(numeric["dW1"], 2 * params["W1"], rtol=1e-6)
    np.testing.assert_allclose(numeric["db1"], 3 * np.ones((2, 1)), rtol=1e-6)
    for key in params:
        np.testing.assert_array_equal(params[key], before[key])


def test_relative_error():
    assert gradcheck.relative_error([1.0, 0.0], [1.0, 0.0]) == 0.0
    assert gradcheck.relative_error([0.0], [0.0]) == 0.0
    assert gradcheck.relative_error([1.0], [-1.0]) == pytest.approx(1.0)
    assert gradcheck.relative_error([2.0], [1.0]) == pytest.approx(1 / 3)


def test_gradient_check_and_report_name_the_wrong_parameter():
    params = make_params()
    good = {"dW1": 2 * params["W1"], "db1": 3 * np.ones((2, 1))}
    errors = gradcheck.gradient_check(quadratic, params, good)
    assert set(errors) == {"W1", "b1"} and max(errors.values()) < 1e-7
    bad = {"dW1": good["dW1"].copy(), "db1": good["db1"]}
    bad["dW1"][1, 2] += 5.0
    report = gradcheck.gradient_report(quadratic, params, bad)
    assert not report.ok
    (disagreement,) = report.disagreements
    assert disagreement.name == "W1" and disagreement.worst_index == (1, 2)
    assert "W1[1, 2]" in str(report)
    assert gradcheck.gradient_report(quadratic, params, good).ok


def test_misshapen_or_missing_gradient_is_explained():
    params = make_params()
    with pytest.raises(ValueError, match=r"grads\['dW1'\] has shape \(3, 2\)"):
        gradcheck.gradient_check(quadratic, params, {"dW1": np.zeros((3, 2)), "db1": np.zeros((2, 1))})
    with pytest.raises(KeyError, match="db1"):
        gradcheck.gradient_check(quadratic, params, {"dW1": np.zeros((2, 3))})
