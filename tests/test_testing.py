"""The test-cell helpers fail with messages that teach, and cannot be fooled by monkeypatching numpy."""

import numpy as np
import pytest

import bpkit.network
from bpkit.testing import (
    CheckFailed,
    DelegationError,
    blame_earlier,
    check_array,
    check_equal,
    check_gradients,
    check_raises,
    check_scalar,
    check_shape,
    explain_errors,
    forbid,
    warnings_fail,
)

EXPECTED = np.array([[1.0, 2.0, 3.0]])


def message(fn, *args, **kwargs):
    with pytest.raises(CheckFailed) as error:
        fn(*args, **kwargs)
    return str(error.value)


def test_passes_on_the_right_answer():
    check_array("x", EXPECTED + 1e-12, EXPECTED)
    check_scalar("c", np.float64(0.5), 0.5)
    check_scalar("c", np.array([[0.5]]), 0.5)
    check_equal("n", 3, 3)
    check_equal("shapes", {"W1": (3, 2)}, {"W1": (3, 2)})
    check_shape("x", EXPECTED, (1, 3))


@pytest.mark.parametrize(
    "got,words",
    [
        (None, "forget to `return`"),
        ([1.0, 2.0, 3.0], "Python list"),
        (np.array([1.0, 2.0, 3.0]), "rank-1"),
        (EXPECTED.T, "transposed"),
        (-EXPECTED, "sign is flipped"),
        (EXPECTED * 8, "m = 8 times too large"),
        (EXPECTED / 8, "divided by m twice"),
        (EXPECTED / 2, "1/2"),
        (np.array([[1.0, np.nan, 3.0]]), "contains nan at index (0, 1)"),
    ],
)
def test_failure_messages_name_the_mistake(got, words):
    assert words in message(check_array, "f(x)", got, EXPECTED, m=8)


def test_message_gives_largest_errors_and_where():
    text = message(check_array, "f(x)", np.array([[1.0, 2.5, 3.0]]), EXPECTED, hint="look at f")
    assert "1 of 3 values are wrong" in text
    assert "largest absolute error 0.5 at index (0, 1): expected 2, got 2.5" in text
    assert "largest relative error 0.25" in text
    assert "Hint: look at f" in text


def test_named_mistakes_are_recognised():
    wrong = EXPECTED * (1 - EXPECTED)
    assert "derivative at s(z)" in message(check_array, "d", wrong, EXPECTED, mistakes={"derivative at s(z)": wrong})


def test_equal_and_scalar_messages():
    assert "expected 5, got 4" in message(check_equal, "count", 4, 5)
    assert "expected int 5, got str '5'" in message(check_equal, "count", "5", 5)
    assert "missing ['b1']" in message(check_equal, "d", {"W1": 1}, {"W1": 1, "b1": 2})
    assert "single number" in message(check_scalar, "cost", np.ones(3), 1.0)


def test_check_gradients_names_the_key():
    grads = {"dW1": np.ones((2, 2)), "db1": np.ones((2, 1))}
    text = message(check_gradients, "grads", {"dW1": np.ones((2, 2)), "db1": np.ones(2)}, grads)
    assert "grads['db1']" in text and "rank-1" in text
    assert "missing gradients ['db1']" in message(check_gradients, "grads", {"dW1": grads["dW1"]}, grads)


def test_check_raises():
    def bad():
        raise ValueError("W1 is wrong")

    check_raises("c", bad, ValueError, contains=("W1",))
    assert "should mention ['layer']" in message(check_raises, "c", bad, ValueError, contains=("layer",))
    assert "nothing was raised" in message(check_raises, "c", lambda: None, ValueError)
    assert "got TypeError" in message(check_raises, "c", lambda: 1 + "a", ValueError)


def test_forbid_catches_aliases_and_restores():
    alias = bpkit.network.linear_forward
    with forbid(bpkit.network.linear_forward), pytest.raises(DelegationError, match="linear_forward"):
        alias(np.ones((1, 1)), np.ones((1, 1)), np.zeros((1, 1)))
    Z, _ = alias(np.ones((1, 1)), np.ones((1, 1)), np.zeros((1, 1)))
    assert Z[0, 0] == 1.0


def test_monkeypatched_numpy_does_not_change_the_verdict(monkeypatch):
    monkeypatch.setattr(np, "isclose", lambda *a, **k: np.ones(np.shape(a[0]), dtype=bool))
    monkeypatch.setattr(np, "all", lambda *a, **k: True)
    with pytest.raises(CheckFailed):
        check_array("x", EXPECTED * 3, EXPECTED)


@pytest.mark.parametrize("got", [2.2 * 9090.91, 1.3 * 0.769, 0.0])
def test_no_unknown_factor_for_a_single_number(got):
    assert "factor" not in message(check_scalar, "dx", got, 2.2)


@pytest.mark.parametrize(
    "got,m,words",
    [(-2.2, None, "sign is flipped"), (8.8, 4, "m = 4 times too large"), (1.1, None, "factor of 0.5")],
)
def test_known_factors_of_a_single_number_are_named(got, m, words):
    assert words in message(check_scalar, "dx", got, 2.2, m=m)


def test_an_unknown_factor_is_named_when_it_explains_several_entries():
    assert "same factor 3" in message(check_array, "x", EXPECTED * 3, EXPECTED)
    assert "same factor" not in message(check_array, "x", np.array([[3.0, 6.0, 4.0]]), EXPECTED)


def test_no_factor_claim_when_the_zero_entries_differ():
    expected = np.array([[0.0, 1.0, 2.0]])
    assert "sign is flipped" not in message(check_array, "x", np.array([[5.0, -1.0, -2.0]]), expected)
    assert "sign is flipped" in message(check_array, "x", -expected, expected)


def test_absolute_error_where_zero_was_expected():
    text = message(check_array, "dZ", np.array([[6.0, 2.0, 3.0]]), np.array([[0.0, 2.0, 3.0]]))
    assert "1 wrong value(s) where 0 was expected (largest absolute error there 6)" in text
    assert "relative error" not in text


def test_float32_results_are_told_to_compute_in_float64():
    expected = np.array([[-0.00616958123, 0.5]])
    text = message(check_array, "dW", (expected * (1 + 3e-6)).astype(np.float32), expected)
    assert "your result is float32" in text and "compute in float64" in text and "agree" in text
    assert "float32" in message(check_scalar, "J", np.float32(0.1234567891 * (1 + 3e-6)), 0.1234567891)
    assert "float32" not in message(check_array, "dW", expected * 2, expected)


def test_a_runtime_warning_becomes_a_failure_with_the_hint():
    with pytest.raises(CheckFailed) as error, warnings_fail("sigmoid(-1000)", hint="use the stable sigmoid"):
        1 / (1 + np.exp(np.array([1000.0])))
    text = str(error.value)
    assert "overflow encountered in exp" in text and "Hint: use the stable sigmoid" in text
    with warnings_fail("quiet"):
        np.exp(np.array([1.0]))


def _failing_check():
    check_scalar("linear_forward(...)", 1.0, 2.0)


def test_blame_earlier_names_the_earlier_exercise_that_fails():
    earlier = [("linear_forward (exercise 3)", _failing_check)]
    with pytest.raises(CheckFailed) as error, blame_earlier("model_forward", earlier):
        check_scalar("AL", 0.0, 1.0)
    text = str(error.value)
    assert text.startswith("your linear_forward (exercise 3) is wrong, and model_forward builds on it")
    assert "linear_forward(...): 1 of 1 values are wrong" in text


def test_blame_earlier_keeps_the_own_failure_when_the_earlier_exercises_pass():
    passing = [("linear_forward (exercise 3)", lambda: None)]
    failing = [("linear_forward (exercise 3)", _failing_check)]
    with pytest.raises(CheckFailed, match="^AL: "), blame_earlier("model_forward", passing):
        check_scalar("AL", 0.0, 1.0)
    with pytest.raises(NotImplementedError), blame_earlier("model_forward", failing):
        raise NotImplementedError()
    with blame_earlier("model_forward", [("linear_forward (exercise 3)", _failing_check)]):
        pass


def test_explain_errors_reports_the_learners_exception_with_the_hint():
    hint = "sum, do not take a matrix product"
    with pytest.raises(CheckFailed) as error, explain_errors("cross_entropy_cost(AL (2, 3), Y)", hint=hint):
        float(np.ones((2, 2)))
    text = str(error.value)
    assert text.startswith("cross_entropy_cost(AL (2, 3), Y): raised TypeError: ")
    assert "Hint: sum, do not take a matrix product" in text
    with pytest.raises(CheckFailed, match="overflow"), explain_errors("sigmoid"):
        np.exp(np.array([1000.0]))
    for passing in (NotImplementedError, CheckFailed):
        with pytest.raises(passing), explain_errors("f"):
            raise passing("as it is")
