import numpy as np
import pytest

from bpkit import shapes


def test_expected_shapes_for_a_two_layer_network():
    table = shapes.expected_shapes([4, 3, 1], m=10)
    assert table["W1"] == (3, 4) and table["b1"] == (3, 1) and table["Z1"] == (3, 10)
    assert table["W2"] == (1, 3) and table["A2"] == (1, 10)
    assert table["dW2"] == table["W2"] and table["db1"] == table["b1"] and table["dA1"] == table["A1"]
    assert len(table) == 16


def test_symbolic_names():
    assert shapes.symbolic_shape("Z2") == "(n[2], m)"
    assert shapes.symbolic_shape("dW1") == "(n[1], n[0])"
    assert shapes.symbolic_shape("db3") == "(n[3], 1)"
    with pytest.raises(ValueError, match="not a name"):
        shapes.symbolic_shape("X1")


def test_shape_table_renders_both_forms():
    table = shapes.shape_table([2, 3, 1], 5)
    text = str(table)
    assert "(n[1], n[0])" in text and "(3, 2)" in text and "m = 5" in text
    assert "<table>" in table._repr_html_() and "(n[2], m)" in table._repr_html_()


def test_check_shapes_names_the_first_wrong_array():
    dims, m = [4, 3, 2], 6
    arrays = {k: np.zeros(s) for k, s in shapes.expected_shapes(dims, m).items()}
    shapes.check_shapes(arrays, dims, m)
    arrays["Z2"] = np.zeros((6, 2))
    arrays["dW2"] = np.zeros((3, 2))
    with pytest.raises(ValueError) as error:
        shapes.check_shapes(arrays, dims, m)
    message = str(error.value)
    assert message.startswith("Z2 (layer 2) should have shape (n[2], m) = (2, 6), but has shape (6, 2)")
    assert "transposed" in message


def test_check_shapes_spots_rank_one_arrays():
    with pytest.raises(ValueError, match=r"rank-1.*\(3, 1\)"):
        shapes.check_shapes({"b1": np.zeros(3)}, [2, 3], 4)


def test_check_shapes_ignores_names_outside_the_table_as_notebook_04_says():
    assert shapes.check_shapes({"W5": np.zeros((1, 1)), "X": np.zeros(7), "b1": np.zeros((3, 1))}, [2, 3], 4) is None
    with pytest.raises(ValueError, match="b1"):
        shapes.check_shapes({"X": np.zeros(7), "b1": np.zeros((1, 3))}, [2, 3], 4)


def test_describe_shape_error_names_a_layer_that_does_not_exist():
    assert "no layer 5" in shapes.describe_shape_error("W5", np.zeros((1, 1)), [2, 3], 4)
