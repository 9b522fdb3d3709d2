"""Typical wrong answers for notebook 01 (Neurons); each must lose points on its own test cell."""
from autograder.mistakes import Mistake

MISTAKES = {
    "sigmoid": [
        Mistake("naive formula overflows for large negative z", '''
def sigmoid(z):
    return 1 / (1 + np.exp(-z))
'''),
        Mistake("np.where evaluates both unsafe branches", '''
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))
'''),
        Mistake("math.exp fails on arrays", '''
import math

def sigmoid(z):
    return 1 / (1 + math.exp(-z))
'''),
        Mistake("sign of z flipped", '''
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z <= 0, 1.0, e) / (1.0 + e)
'''),
        Mistake("clipping z to [-500, 500] gives 7e-218 at z = -1000", '''
def sigmoid(z):
    z = np.clip(z, -500, 500)
    return 1 / (1 + np.exp(-z))
'''),
        Mistake("np.empty_like keeps an integer dtype", '''
def sigmoid(z):
    z = np.asarray(z)
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1 / (1 + np.exp(-z[pos]))
    e = np.exp(z[~pos])
    out[~pos] = e / (1 + e)
    return out
'''),
        Mistake("calls bpkit's reference", '''
def sigmoid(z):
    return bpkit.activations.sigmoid(z)
'''),
        Mistake("stable, but overwrites the caller's z with |z|", '''
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    negative = z < 0
    np.abs(z, out=z)
    e = np.exp(-z)
    return np.where(negative, e / (1 + e), 1 / (1 + e))
'''),
    ],
    "sigmoid_derivative": [
        Mistake("derivative taken at sigmoid(z) instead of z", '''
def sigmoid_derivative(z):
    s = sigmoid(sigmoid(z))
    return s * (1 - s)
'''),
        Mistake("formula for the output applied to z itself", '''
def sigmoid_derivative(z):
    return z * (1 - z)
'''),
        Mistake("exp(-z) / (1 + exp(-z))**2 overflows", '''
def sigmoid_derivative(z):
    return np.exp(-z) / (1 + np.exp(-z)) ** 2
'''),
        Mistake("sign slip: s * (1 + s)", '''
def sigmoid_derivative(z):
    s = sigmoid(z)
    return s * (1 + s)
'''),
        Mistake("calls bpkit's reference", '''
def sigmoid_derivative(z):
    return bpkit.activations.sigmoid_derivative(z)
'''),
    ],
    "relu": [
        Mistake("np.max reduces along an axis", '''
def relu(z):
    return np.max(z, 0)
'''),
        Mistake("returns a list", '''
def relu(z):
    return [max(0.0, v) for v in np.ravel(z)]
'''),
        Mistake("changes its input in place", '''
def relu(z):
    z[z < 0] = 0
    return z
'''),
        Mistake("leaky ReLU instead of ReLU", '''
def relu(z):
    return np.where(z > 0, z, 0.01 * z)
'''),
        Mistake("calls bpkit's reference", '''
def relu(z):
    return bpkit.activations.relu(z)
'''),
    ],
    "relu_derivative": [
        Mistake("slope 1 at z = 0", '''
def relu_derivative(z):
    return (np.asarray(z) >= 0).astype(float)
'''),
        Mistake("np.sign gives -1 for negative z", '''
def relu_derivative(z):
    return np.sign(z)
'''),
        Mistake("python if on an array", '''
def relu_derivative(z):
    return 1.0 if z > 0 else 0.0
'''),
        Mistake("relu(z) / z divides by zero at 0", '''
def relu_derivative(z):
    return relu(z) / z
'''),
        Mistake("changes its input in place", '''
def relu_derivative(z):
    z[z > 0] = 1
    z[z <= 0] = 0
    return z
'''),
        Mistake("calls bpkit's reference", '''
def relu_derivative(z):
    return bpkit.activations.relu_derivative(z)
'''),
    ],
    "neuron": [
        Mistake("w @ X without the transpose", '''
def neuron(X, w, b):
    return sigmoid(w @ X + b)
'''),
        Mistake("forgot the bias", '''
def neuron(X, w, b):
    return sigmoid(w.T @ X)
'''),
        Mistake("forgot the sigmoid", '''
def neuron(X, w, b):
    return w.T @ X + b
'''),
        Mistake("X.T @ w gives a column (m, 1)", '''
def neuron(X, w, b):
    return sigmoid(X.T @ w + b)
'''),
        Mistake("elementwise w * X instead of a product", '''
def neuron(X, w, b):
    return sigmoid(w * X + b)
'''),
        Mistake("summed over all examples", '''
def neuron(X, w, b):
    return sigmoid(np.sum(w * X) + b)
'''),
    ],
    "fold_bias": [
        Mistake("ones row prepended instead of appended", '''
def fold_bias(X, w, b):
    X1 = np.vstack([np.ones((1, X.shape[1])), X])
    w1 = np.vstack([[[b]], w])
    return X1, w1
'''),
        Mistake("b not appended to w", '''
def fold_bias(X, w, b):
    X1 = np.vstack([X, np.ones((1, X.shape[1]))])
    return X1, w
'''),
        Mistake("np.append without axis flattens w1", '''
def fold_bias(X, w, b):
    X1 = np.vstack([X, np.ones((1, X.shape[1]))])
    return X1, np.append(w, b)
'''),
        Mistake("ones appended as a column", '''
def fold_bias(X, w, b):
    X1 = np.hstack([X, np.ones((X.shape[0], 1))])
    w1 = np.vstack([w, [[b]]])
    return X1, w1
'''),
        Mistake("1 appended to w instead of b", '''
def fold_bias(X, w, b):
    X1 = np.vstack([X, np.ones((1, X.shape[1]))])
    w1 = np.vstack([w, [[1.0]]])
    return X1, w1
'''),
        Mistake("grows the caller's w in place (w.resize)", '''
def fold_bias(X, w, b):
    X1 = np.vstack([X, np.ones((1, X.shape[1]))])
    w.resize((w.shape[0] + 1, 1), refcheck=False)
    w[-1, 0] = b
    return X1, w
'''),
        Mistake("hard-coded for the visible example", '''
def fold_bias(X, w, b):
    X1 = np.array([[2.0, 0.0, 1.0], [3.0, 1.0, -1.0], [1.0, 1.0, 1.0]])
    w1 = np.array([[0.5], [-1.0], [1.0]])
    return X1, w1
'''),
    ],
    "gate_weights": [
        Mistake("AND and OR swapped", '''
def gate_weights(gate):
    table = {"AND": ([1.0, 1.0], -0.5), "OR": ([1.0, 1.0], -1.5), "NAND": ([-1.0, -1.0], 1.5)}
    if gate not in table:
        raise ValueError(gate)
    w, b = table[gate]
    return np.array(w).reshape(2, 1), b
'''),
        Mistake("line through the points: step(0) = 1", '''
def gate_weights(gate):
    table = {"AND": ([1.0, 1.0], -1.0), "OR": ([1.0, 1.0], 0.0), "NAND": ([-1.0, -1.0], 1.0)}
    if gate not in table:
        raise ValueError(gate)
    w, b = table[gate]
    return np.array(w).reshape(2, 1), b
'''),
        Mistake("NAND with only the bias negated", '''
def gate_weights(gate):
    table = {"AND": ([1.0, 1.0], -1.5), "OR": ([1.0, 1.0], -0.5), "NAND": ([1.0, 1.0], 1.5)}
    if gate not in table:
        raise ValueError(gate)
    w, b = table[gate]
    return np.array(w).reshape(2, 1), b
'''),
        Mistake("rank-1 weight vector", '''
def gate_weights(gate):
    table = {"AND": ([1.0, 1.0], -1.5), "OR": ([1.0, 1.0], -0.5), "NAND": ([-1.0, -1.0], 1.5)}
    if gate not in table:
        raise ValueError(gate)
    w, b = table[gate]
    return np.array(w), b
'''),
        Mistake("XOR returns weights instead of raising", '''
def gate_weights(gate):
    table = {"AND": ([1.0, 1.0], -1.5), "OR": ([1.0, 1.0], -0.5), "NAND": ([-1.0, -1.0], 1.5)}
    w, b = table.get(gate, ([1.0, 1.0], -0.5))
    return np.array(w).reshape(2, 1), b
'''),
        Mistake("XOR raises NotImplementedError, not ValueError", '''
def gate_weights(gate):
    table = {"AND": ([1.0, 1.0], -1.5), "OR": ([1.0, 1.0], -0.5), "NAND": ([-1.0, -1.0], 1.5)}
    if gate not in table:
        raise NotImplementedError("XOR is impossible")
    w, b = table[gate]
    return np.array(w).reshape(2, 1), b
'''),
        Mistake("b returned as a (1, 1) array", '''
def gate_weights(gate):
    table = {"AND": ([1.0, 1.0], -1.5), "OR": ([1.0, 1.0], -0.5), "NAND": ([-1.0, -1.0], 1.5)}
    if gate not in table:
        raise ValueError(gate)
    w, b = table[gate]
    return np.array(w).reshape(2, 1), np.array([[b]])
'''),
    ],
}
