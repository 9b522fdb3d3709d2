"""Surviving mutants judged equivalent to the solution (they compute the same thing), with why.

Key: (assignment, solution grade_id, mutant description as tests/mutation.py prints it).
"""

_GATE = "any weights whose line separates the gate's truth table are a right answer; the tests check the table"
_DIGITS = "any hyperparameters that reach 95% test accuracy are a right answer; the tests check the accuracy"

EQUIVALENT: dict[tuple[str, str, str], str] = {
    ("01-neurons", "sigmoid", "line 3:19: GtE -> Gt"): "at z = 0 both branches give 1 / (1 + 1) = 0.5",
    ("01-neurons", "gate_weights", "line 3:16: constant 1.0 -> 2.0"): _GATE,
    ("01-neurons", "gate_weights", "line 3:21: constant 1.0 -> 2.0"): _GATE,
    ("01-neurons", "gate_weights", "line 3:28: constant 0.5 -> 1.0"): _GATE,
    (
        "02-forward-propagation",
        "cross_entropy_cost",
        "line 2:20: constant 1e-12 -> 2e-12",
    ): "the clipping bound only matters for predictions within 2e-12 of 0 or 1, where both give a finite cost",
    (
        "02-forward-propagation",
        "cross_entropy_cost",
        "line 2:31: constant 1e-12 -> 2e-12",
    ): "the clipping bound only matters for predictions within 2e-12 of 0 or 1, where both give a finite cost",
    (
        "05-backpropagation",
        "fixed_model_backward",
        "line 9:10: MatMult -> Mult",
    ): "W3.T is (n2, 1) and dZ3 is (1, m): with one output unit the outer product equals the matrix product",
    (
        "06-training",
        "predict",
        "line 4:45: constant 1 -> 2",
    ): "reshape(1, -2) is reshape(1, -1): numpy infers any negative size",
    ("06-training", "train_digits", "line 2:52: constant 64 -> 128"): _DIGITS,
    ("06-training", "train_digits", "line 2:75: constant 0.5 -> 1.0"): _DIGITS,
    ("06-training", "train_digits", "line 2:91: constant 20 -> 40"): _DIGITS,
    ("06-training", "train_digits", "line 2:106: constant 32 -> 64"): _DIGITS,
    ("06-training", "train_digits", "line 3:27: constant 0 -> 1"): _DIGITS,
}
