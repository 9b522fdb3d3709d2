"""Typical wrong answers for 05-backpropagation: each must lose points on its own test cell."""

from autograder.mistakes import edit, rewrite

_MUL_BACKWARD = "dx = dout * self.y\n        dy = dout * self.x"
_S_OF_Z = "    s = sigmoid(Z)\n"
_DB = "np.sum(dZ, axis=1, keepdims=True) / m"
_OUTPUT_GRADIENTS = "linear_backward(AL - Y, output_linear_cache)"
_HIDDEN_GRADIENTS = 'dA, grads[f"dW{l}"], grads[f"db{l}"] = '
_RELATIVE_ERROR = "float(np.linalg.norm(g - g_num) / denominator) if denominator > 0 else 0.0"
_MINUS_EPSILON = "            value[index] = original - epsilon\n            cost_minus = cost_fn(work)\n"
_ORIGINAL = "            original = value[index]\n"
_DISAGREEING = 'disagreeing = {"W1", "b1"}'

NODES = [
    edit(
        "MulNode backward swapped: (dout * x, dout * y)",
        _MUL_BACKWARD,
        "dx = dout * self.x\n        dy = dout * self.y",
    ),
    edit("MulNode does not store its inputs", "        self.x = x\n        self.y = y\n", ""),
    edit("AddNode multiplies", "return x + y", "return x * y"),
    edit("AddNode returns the local derivative (1, 1) without dout", "dx = dout * 1", "dx = 1.0").then(
        "dy = dout * 1", "dy = 1.0"
    ),
    edit("AddNode passes dout to one input only", "dy = dout * 1", "dy = 0.0"),
    edit("inputs stored on the class, shared by every MulNode", "self.x = None\n        self.y = None", "pass")
    .then("self.x = x\n        self.y = y", "MulNode.x = x\n        MulNode.y = y")
    .then(_MUL_BACKWARD, "dx = dout * MulNode.y\n        dy = dout * MulNode.x"),
    edit(
        "MulNode backward multiplies by both inputs",
        _MUL_BACKWARD,
        "dx = dout * self.x * self.y\n        dy = dout * self.x * self.y",
    ),
    rewrite(
        "calls bpkit's reference gates",
        """import bpkit.graph


class MulNode(bpkit.graph.MulNode):
    pass


class AddNode(bpkit.graph.AddNode):
    pass
""",
    ),
]

APPLE = [
    edit(
        "price and count gradients swapped",
        '{"apple_price": d_price, "apple_count": d_count',
        '{"apple_price": d_count, "apple_count": d_price',
    ),
    edit(
        "tax forgotten: the first gate gets an upstream gradient of 1",
        "mul_apple.backward(d_apples)",
        "mul_apple.backward(1.0)",
    ),
    edit("d total / d tax taken as the total", '"tax": d_tax}', '"tax": total}'),
    rewrite(
        "hard-codes the visible answer",
        """def apple_graph(apple_price, apple_count, tax):
    for node in (MulNode(), MulNode()):
        node.forward(1.0, 1.0)
        node.backward(1.0)
    return 220.0, {"apple_price": 2.2, "apple_count": 110.0, "tax": 200.0}
""",
    ),
    rewrite(
        "formulas instead of the graph",
        """def apple_graph(apple_price, apple_count, tax):
    total = apple_price * apple_count * tax
    return total, {"apple_price": apple_count * tax, "apple_count": apple_price * tax,
                   "tax": apple_price * apple_count}
""",
    ),
    rewrite(
        "calls bpkit's reference",
        """import bpkit.graph


def apple_graph(apple_price, apple_count, tax):
    return bpkit.graph.apple_graph(apple_price, apple_count, tax)
""",
    ),
]

LINEAR = [
    edit("missing transpose: dZ @ A_prev", "dZ @ A_prev.T / m", "dZ @ A_prev / m"),
    edit("dW transposed: A_prev @ dZ.T", "dZ @ A_prev.T / m", "A_prev @ dZ.T / m"),
    edit("db summed over axis 0", _DB, "np.sum(dZ, axis=0, keepdims=True) / m"),
    edit("db without keepdims (rank-1)", _DB, "np.sum(dZ, axis=1) / m"),
    edit("missing 1/m", "dZ @ A_prev.T / m", "dZ @ A_prev.T").then(_DB, "np.sum(dZ, axis=1, keepdims=True)"),
    edit("dA_prev = W @ dZ (no transpose)", "W.T @ dZ", "W @ dZ"),
    edit("dA_prev divided by m too", "W.T @ dZ", "W.T @ dZ / m"),
    edit("m read from the wrong axis", "A_prev.shape[1]", "A_prev.shape[0]"),
    edit("db as the mean of all entries", _DB, "np.mean(dZ) * np.ones((dZ.shape[0], 1))"),
    edit(
        "divides the caller's dZ in place (dZ /= m)",
        "    dW = dZ @ A_prev.T / m",
        "    dZ /= m\n    dW = dZ @ A_prev.T",
    )
    .then(_DB, "np.sum(dZ, axis=1, keepdims=True)")
    .then("W.T @ dZ", "W.T @ dZ * m"),
    rewrite(
        "calls bpkit's reference",
        """import bpkit.network


def linear_backward(dZ, cache):
    return bpkit.network.linear_backward(dZ, cache)
""",
    ),
]

SIGMOID = [
    edit("derivative at sigmoid(Z) instead of Z", _S_OF_Z, "    s = sigmoid(sigmoid(Z))\n"),
    edit("Z used as if it were sigmoid(Z)", "dA * s * (1.0 - s)", "dA * Z * (1.0 - Z)"),
    edit("dZ = dA * A", "dA * s * (1.0 - s)", "dA * s"),
    edit("dA forgotten", "dA * s * (1.0 - s)", "s * (1.0 - s)"),
    edit("naive sigmoid overflows for large -Z", _S_OF_Z, "    s = 1 / (1 + np.exp(-Z))\n"),
    rewrite(
        "calls bpkit's reference",
        """import bpkit.network


def sigmoid_backward(dA, Z):
    return bpkit.network.sigmoid_backward(dA, Z)
""",
    ),
]

RELU = [
    edit("Z >= 0 instead of Z > 0", "np.where(Z > 0", "np.where(Z >= 0"),
    edit("mask taken from dA instead of Z", "np.where(Z > 0", "np.where(dA > 0"),
    rewrite(
        "changes dA in place",
        """def relu_backward(dA, Z):
    dZ = dA
    dZ[Z <= 0] = 0
    return dZ
""",
    ),
    rewrite(
        "derivative only, dA not multiplied in",
        """def relu_backward(dA, Z):
    return (Z > 0).astype(float)
""",
    ),
    rewrite(
        "dZ = dA * A",
        """def relu_backward(dA, Z):
    return dA * np.maximum(Z, 0)
""",
    ),
    rewrite(
        "calls bpkit's reference",
        """import bpkit.network


def relu_backward(dA, Z):
    return bpkit.network.relu_backward(dA, Z)
""",
    ),
]

LAYER = [
    edit("activations swapped", 'if activation == "sigmoid":', 'if activation == "relu":').then(
        'elif activation == "relu":', 'elif activation == "sigmoid":'
    ),
    edit("always ReLU", "dZ = sigmoid_backward(dA, Z)", "dZ = relu_backward(dA, Z)"),
    edit("skips the activation", "linear_backward(dZ, linear_cache)", "linear_backward(dA, linear_cache)"),
    edit(
        "returns (dW, db, dA_prev)",
        "    return linear_backward(dZ, linear_cache)",
        "    dA_prev, dW, db = linear_backward(dZ, linear_cache)\n    return dW, db, dA_prev",
    ),
    rewrite(
        "activation derivative applied after the linear step",
        """def linear_activation_backward(dA, cache, activation):
    linear_cache, Z = cache
    dA_prev, dW, db = linear_backward(dA, linear_cache)
    A_prev = linear_cache[0]
    if activation == "sigmoid":
        return sigmoid_backward(dA_prev, A_prev), dW, db
    return relu_backward(dA_prev, A_prev), dW, db
""",
    ),
    edit(
        "calls bpkit's activation backward",
        "def linear_activation_backward(",
        "import bpkit.network\n\n\ndef linear_activation_backward(",
    )
    .then("= sigmoid_backward(", "= bpkit.network.sigmoid_backward(")
    .then("= relu_backward(", "= bpkit.network.relu_backward("),
    rewrite(
        "calls bpkit's reference",
        """import bpkit.network


def linear_activation_backward(dA, cache, activation):
    return bpkit.network.linear_activation_backward(dA, cache, activation)
""",
    ),
]

MODEL = [
    edit("off-by-one keys in the hidden layers", _HIDDEN_GRADIENTS, 'dA, grads[f"dW{l + 1}"], grads[f"db{l + 1}"] = '),
    edit("wrong cache: caches[l] for layer l", 'caches[l - 1], "relu"', 'caches[l], "relu"'),
    edit("sigmoid in the hidden layers", 'caches[l - 1], "relu"', 'caches[l - 1], "sigmoid"'),
    edit(
        "dAL sign flipped",
        _OUTPUT_GRADIENTS,
        'linear_activation_backward(Y / AL - (1 - Y) / (1 - AL), caches[L - 1], "sigmoid")',
    ),
    edit("dZL = Y - AL", _OUTPUT_GRADIENTS, "linear_backward(Y - AL, output_linear_cache)"),
    edit("forgets the first layer", "range(L - 1, 0, -1)", "range(L - 1, 1, -1)"),
    edit("dA never updated in the loop", _HIDDEN_GRADIENTS, '_, grads[f"dW{l}"], grads[f"db{l}"] = '),
    edit(
        "ReLU at the output layer",
        _OUTPUT_GRADIENTS,
        'linear_activation_backward(-Y / AL + (1 - Y) / (1 - AL), caches[L - 1], "relu")',
    ),
    edit(
        "dZL divided by m (then again in linear_backward)",
        _OUTPUT_GRADIENTS,
        "linear_backward((AL - Y) / AL.shape[1], output_linear_cache)",
    ),
    rewrite(
        "calls bpkit's reference",
        """import bpkit.network


def model_backward(AL, Y, caches):
    return bpkit.network.model_backward(AL, Y, caches)
""",
    ),
]

GRADCHECK = [
    edit("forward difference", _MINUS_EPSILON, "")
    .then(_ORIGINAL, _ORIGINAL + "            cost_here = cost_fn(work)\n")
    .then("(cost_plus - cost_minus) / (2 * epsilon)", "(cost_plus - cost_here) / epsilon"),
    rewrite(
        "does not restore params (nudges the caller's arrays)",
        """def gradient_check(cost_fn, params, grads, epsilon=1e-7):
    errors = {}
    for key, value in params.items():
        g_num = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            value[index] += epsilon
            plus = cost_fn(params)
            value[index] -= 2 * epsilon
            minus = cost_fn(params)
            g_num[index] = (plus - minus) / (2 * epsilon)
        g = grads["d" + key]
        errors[key] = float(np.linalg.norm(g - g_num) / (np.linalg.norm(g) + np.linalg.norm(g_num)))
    return errors
""",
    ),
    edit("divides by epsilon instead of 2 epsilon", "/ (2 * epsilon)", "/ epsilon"),
    edit("relative error without the denominator", _RELATIVE_ERROR, "float(np.linalg.norm(g - g_num))"),
    edit("ignores the epsilon argument", "    work = {", "    epsilon = 1e-5\n    work = {"),
    edit("keys 'dW1' instead of 'W1'", "errors[key] = ", 'errors["d" + key] = '),
    edit("no guard when both gradients are zero", " if denominator > 0 else 0.0", ""),
    rewrite(
        "calls bpkit's reference",
        """import bpkit.gradcheck


def gradient_check(cost_fn, params, grads, epsilon=1e-7):
    return bpkit.gradcheck.gradient_check(cost_fn, params, grads, epsilon)
""",
    ),
    rewrite(
        "uses bpkit's numerical_gradient",
        """import bpkit.gradcheck


def gradient_check(cost_fn, params, grads, epsilon=1e-7):
    numeric = bpkit.gradcheck.numerical_gradient(cost_fn, params, epsilon)
    errors = {}
    for key in params:
        g, g_num = grads["d" + key], numeric["d" + key]
        total = np.linalg.norm(g) + np.linalg.norm(g_num)
        errors[key] = float(np.linalg.norm(g - g_num) / total) if total > 0 else 0.0
    return errors
""",
    ),
]

FIXED = [
    edit("blames layer 2, where the wrong line is written", _DISAGREEING, 'disagreeing = {"W2", "b2"}'),
    edit("names only W1", _DISAGREEING, 'disagreeing = {"W1"}'),
    edit("gradient names instead of parameter names", _DISAGREEING, 'disagreeing = {"dW1", "db1"}'),
    edit("names as one string", _DISAGREEING, 'disagreeing = "W1, b1"'),
    edit("bug left in place", "dA1 = W2.T @ dZ2", "dA1 = W2 @ dZ2"),
    edit("wrong fix: transposes the result instead of W2", "dA1 = W2.T @ dZ2", "dA1 = (W2 @ dZ2.T).T"),
    edit("wrong fix: ReLU mask >= 0 changed instead", "dA1 = W2.T @ dZ2", "dA1 = W2 @ dZ2").then(
        "(Z1 > 0)", "(Z1 >= 0)"
    ),
    edit("right fix, but the ReLU mask Z1 >= 0 (slope 1 at z = 0)", "(Z1 > 0)", "(Z1 >= 0)"),
    rewrite(
        "calls model_backward instead of fixing",
        """def fixed_model_backward(AL, Y, caches):
    return model_backward(AL, Y, caches)


disagreeing = {"W1", "b1"}
""",
    ),
    rewrite(
        "calls bpkit's reference",
        """import bpkit.network


def fixed_model_backward(AL, Y, caches):
    return bpkit.network.model_backward(AL, Y, caches)


disagreeing = {"W1", "b1"}
""",
    ),
]

MISTAKES = {
    "nodes": NODES,
    "apple_graph": APPLE,
    "linear_backward": LINEAR,
    "sigmoid_backward": SIGMOID,
    "relu_backward": RELU,
    "linear_activation_backward": LAYER,
    "model_backward": MODEL,
    "gradient_check": GRADCHECK,
    "fixed_model_backward": FIXED,
}
