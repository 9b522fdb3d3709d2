"""Typical wrong answers for notebook 01 (Neurons); each must lose points on its own test cell."""

from autograder.mistakes import edit, rewrite

_REJECT_XOR = """    if gate not in table:
        raise ValueError(f"no single step neuron computes {gate!r}: a neuron draws one straight line")
"""

MISTAKES = {
    "sigmoid": [
        rewrite(
            "naive formula overflows for large negative z",
            """
def sigmoid(z):
    return 1 / (1 + np.exp(-z))
""",
        ),
        rewrite(
            "np.where evaluates both unsafe branches",
            """
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))
""",
        ),
        rewrite(
            "math.exp fails on arrays",
            """
import math

def sigmoid(z):
    return 1 / (1 + math.exp(-z))
""",
        ),
        edit("sign of z flipped", "np.where(z >= 0, 1.0, e)", "np.where(z <= 0, 1.0, e)"),
        rewrite(
            "clipping z to [-500, 500] gives 7e-218 at z = -1000",
            """
def sigmoid(z):
    z = np.clip(z, -500, 500)
    return 1 / (1 + np.exp(-z))
""",
        ),
        rewrite(
            "np.empty_like keeps an integer dtype",
            """
def sigmoid(z):
    z = np.asarray(z)
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1 / (1 + np.exp(-z[pos]))
    e = np.exp(z[~pos])
    out[~pos] = e / (1 + e)
    return out
""",
        ),
        rewrite(
            "calls bpkit's reference",
            """
def sigmoid(z):
    return bpkit.activations.sigmoid(z)
""",
        ),
        edit(
            "stable, but overwrites the caller's z with |z|",
            "e = np.exp(-np.abs(z))",
            "negative = z < 0\n    e = np.exp(-np.abs(z, out=z))",
        ).then("np.where(z >= 0, 1.0, e)", "np.where(negative, e, 1.0)"),
    ],
    "sigmoid_derivative": [
        edit("derivative taken at sigmoid(z) instead of z", "s = sigmoid(z)", "s = sigmoid(sigmoid(z))"),
        edit("formula for the output applied to z itself", "return s * (1.0 - s)", "return z * (1.0 - z)"),
        rewrite(
            "exp(-z) / (1 + exp(-z))**2 overflows",
            """
def sigmoid_derivative(z):
    return np.exp(-z) / (1 + np.exp(-z)) ** 2
""",
        ),
        edit("sign slip: s * (1 + s)", "s * (1.0 - s)", "s * (1.0 + s)"),
        rewrite(
            "calls bpkit's reference",
            """
def sigmoid_derivative(z):
    return bpkit.activations.sigmoid_derivative(z)
""",
        ),
    ],
    "relu": [
        rewrite(
            "np.max reduces along an axis",
            """
def relu(z):
    return np.max(z, 0)
""",
        ),
        rewrite(
            "returns a list",
            """
def relu(z):
    return [max(0.0, v) for v in np.ravel(z)]
""",
        ),
        rewrite(
            "changes its input in place",
            """
def relu(z):
    z[z < 0] = 0
    return z
""",
        ),
        rewrite(
            "leaky ReLU instead of ReLU",
            """
def relu(z):
    return np.where(z > 0, z, 0.01 * z)
""",
        ),
        rewrite(
            "calls bpkit's reference",
            """
def relu(z):
    return bpkit.activations.relu(z)
""",
        ),
    ],
    "relu_derivative": [
        edit("slope 1 at z = 0", "np.asarray(z) > 0", "np.asarray(z) >= 0"),
        rewrite(
            "np.sign gives -1 for negative z",
            """
def relu_derivative(z):
    return np.sign(z)
""",
        ),
        rewrite(
            "python if on an array",
            """
def relu_derivative(z):
    return 1.0 if z > 0 else 0.0
""",
        ),
        rewrite(
            "relu(z) / z divides by zero at 0",
            """
def relu_derivative(z):
    return relu(z) / z
""",
        ),
        rewrite(
            "changes its input in place",
            """
def relu_derivative(z):
    z[z > 0] = 1
    z[z <= 0] = 0
    return z
""",
        ),
        rewrite(
            "calls bpkit's reference",
            """
def relu_derivative(z):
    return bpkit.activations.relu_derivative(z)
""",
        ),
    ],
    "neuron": [
        edit("w @ X without the transpose", "w.T @ X", "w @ X"),
        edit("forgot the bias", "w.T @ X + b", "w.T @ X"),
        edit("forgot the sigmoid", "sigmoid(w.T @ X + b)", "w.T @ X + b"),
        edit("X.T @ w gives a column (m, 1)", "w.T @ X", "X.T @ w"),
        edit("elementwise w * X instead of a product", "w.T @ X", "w * X"),
        edit("summed over all examples", "w.T @ X", "np.sum(w * X)"),
    ],
    "fold_bias": [
        edit("ones row prepended instead of appended", "[X, np.ones((1, m))]", "[np.ones((1, m)), X]").then(
            "[w, np.full((1, 1), b, dtype=float)]", "[np.full((1, 1), b, dtype=float), w]"
        ),
        edit("b not appended to w", "return X1, w1", "return X1, w"),
        edit(
            "np.append without axis flattens w1", "np.vstack([w, np.full((1, 1), b, dtype=float)])", "np.append(w, b)"
        ),
        edit(
            "ones appended as a column", "np.vstack([X, np.ones((1, m))])", "np.hstack([X, np.ones((X.shape[0], 1))])"
        ),
        edit("1 appended to w instead of b", "np.full((1, 1), b, dtype=float)", "np.full((1, 1), 1.0)"),
        edit(
            "grows the caller's w in place (w.resize)",
            "w1 = np.vstack([w, np.full((1, 1), b, dtype=float)])",
            "w.resize((w.shape[0] + 1, 1), refcheck=False)\n    w[-1, 0] = b\n    w1 = w",
        ),
        rewrite(
            "hard-coded for the visible example",
            """
def fold_bias(X, w, b):
    X1 = np.array([[2.0, 0.0, 1.0], [3.0, 1.0, -1.0], [1.0, 1.0, 1.0]])
    w1 = np.array([[0.5], [-1.0], [1.0]])
    return X1, w1
""",
        ),
    ],
    "gate_weights": [
        edit("AND and OR swapped", '"AND": ([1.0, 1.0], -1.5)', '"AND": ([1.0, 1.0], -0.5)').then(
            '"OR": ([1.0, 1.0], -0.5)', '"OR": ([1.0, 1.0], -1.5)'
        ),
        edit("line through the points: step(0) = 1", '"AND": ([1.0, 1.0], -1.5)', '"AND": ([1.0, 1.0], -1.0)')
        .then('"OR": ([1.0, 1.0], -0.5)', '"OR": ([1.0, 1.0], 0.0)')
        .then('"NAND": ([-1.0, -1.0], 1.5)', '"NAND": ([-1.0, -1.0], 1.0)'),
        edit("NAND with only the bias negated", '"NAND": ([-1.0, -1.0], 1.5)', '"NAND": ([1.0, 1.0], 1.5)'),
        edit("rank-1 weight vector", "np.array(weights).reshape(2, 1)", "np.array(weights)"),
        edit("XOR returns weights instead of raising", _REJECT_XOR, "").then(
            "table[gate]", 'table.get(gate, table["OR"])'
        ),
        edit("XOR raises NotImplementedError, not ValueError", "raise ValueError(", "raise NotImplementedError("),
        edit("b returned as a (1, 1) array", "reshape(2, 1), bias", "reshape(2, 1), np.array([[bias]])"),
    ],
}
