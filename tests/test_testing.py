"""The test-cell helpers fail with messages that teach, and cannot be fooled by monkeypatching numpy."""
import numpy as np
import pytest

import bpkit.network
from bpkit.testing import (
    CheckFailed,
    DelegationError,
    check_array,
    check_equal,
    check_gradients,
    check_raises,
    check_scalar,
    check_shape,
    forbid,
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
    with forbid(bpkit.network.linear_forward):
        with pytest.raises(DelegationError, match="linear_forward"):
            alias(np.ones((1, 1)), np.ones((1, 1)), np.zeros((1, 1)))
    Z, _ = alias(np.ones((1, 1)), np.ones((1, 1)), np.zeros((1, 1)))
    assert Z[0, 0] == 1.0


def test_monkeypatched_numpy_does_not_change_the_verdict(monkeypatch):
    monkeypatch.setattr(np, "isclose", lambda *a, **k: np.ones(np.shape(a[0]), dtype=bool))
    monkeypatch.setattr(np, "all", lambda *a, **k: True)
    with pytest.raises(CheckFailed):
        check_array("x", EXPECTED * 3, EXPECTED)
