"""Typical wrong answers for 05-backpropagation: each must lose points on its own test cell."""
from autograder.mistakes import Mistake

# ---------------------------------------------------------------------------------------------- nodes


def _nodes(mul_forward: str, mul_backward: str, add_forward: str = "return x + y",
           add_backward: str = "return dout * 1, dout * 1", mul_init: str = "self.x = None\n        self.y = None") -> str:
    """Both gate classes with the given method bodies (one line each, or pre-indented lines)."""
    return f'''class MulNode:
    def __init__(self):
        {mul_init}

    def forward(self, x, y):
        {mul_forward}

    def backward(self, dout):
        {mul_backward}


class AddNode:
    def forward(self, x, y):
        {add_forward}

    def backward(self, dout):
        {add_backward}
'''


_MUL_FORWARD = "self.x, self.y = x, y\n        return x * y"
_MUL_BACKWARD = "return dout * self.y, dout * self.x"

NODES = [
    Mistake("MulNode backward swapped: (dout * x, dout * y)",
            _nodes(_MUL_FORWARD, "return dout * self.x, dout * self.y")),
    Mistake("MulNode does not store its inputs", _nodes("return x * y", _MUL_BACKWARD)),
    Mistake("AddNode multiplies", _nodes(_MUL_FORWARD, _MUL_BACKWARD, add_forward="return x * y")),
    Mistake("AddNode returns the local derivative (1, 1) without dout",
            _nodes(_MUL_FORWARD, _MUL_BACKWARD, add_backward="return 1.0, 1.0")),
    Mistake("AddNode passes dout to one input only",
            _nodes(_MUL_FORWARD, _MUL_BACKWARD, add_backward="return dout, 0.0")),
    Mistake("inputs stored on the class, shared by every MulNode",
            _nodes("MulNode.x, MulNode.y = x, y\n        return x * y", "return dout * MulNode.y, dout * MulNode.x",
                   mul_init="pass")),
    Mistake("MulNode backward multiplies by both inputs",
            _nodes(_MUL_FORWARD, "return dout * self.x * self.y, dout * self.x * self.y")),
    Mistake("calls bpkit's reference gates", '''import bpkit.graph


class MulNode(bpkit.graph.MulNode):
    pass


class AddNode(bpkit.graph.AddNode):
    pass
'''),
]

# ---------------------------------------------------------------------------------------------- apple_graph

_APPLE_HEAD = '''def apple_graph(apple_price, apple_count, tax):
    mul_apple = MulNode()
    mul_tax = MulNode()
    apples = mul_apple.forward(apple_price, apple_count)
    total = mul_tax.forward(apples, tax)
'''

APPLE = [
    Mistake("price and count gradients swapped", _APPLE_HEAD + '''    d_apples, d_tax = mul_tax.backward(1.0)
    d_price, d_count = mul_apple.backward(d_apples)
    return total, {"apple_price": d_count, "apple_count": d_price, "tax": d_tax}
'''),
    Mistake("tax forgotten: the first gate gets an upstream gradient of 1", _APPLE_HEAD + '''    d_apples, d_tax = mul_tax.backward(1.0)
    d_price, d_count = mul_apple.backward(1.0)
    return total, {"apple_price": d_price, "apple_count": d_count, "tax": d_tax}
'''),
    Mistake("d total / d tax taken as the total", _APPLE_HEAD + '''    d_apples, d_tax = mul_tax.backward(1.0)
    d_price, d_count = mul_apple.backward(d_apples)
    return total, {"apple_price": d_price, "apple_count": d_count, "tax": total}
'''),
    Mistake("hard-codes the visible answer", '''def apple_graph(apple_price, apple_count, tax):
    for node in (MulNode(), MulNode()):
        node.forward(1.0, 1.0)
        node.backward(1.0)
    return 220.0, {"apple_price": 2.2, "apple_count": 110.0, "tax": 200.0}
'''),
    Mistake("formulas instead of the graph", '''def apple_graph(apple_price, apple_count, tax):
    total = apple_price * apple_count * tax
    return total, {"apple_price": apple_count * tax, "apple_count": apple_price * tax,
                   "tax": apple_price * apple_count}
'''),
    Mistake("calls bpkit's reference", '''import bpkit.graph


def apple_graph(apple_price, apple_count, tax):
    return bpkit.graph.apple_graph(apple_price, apple_count, tax)
'''),
]

# ---------------------------------------------------------------------------------------------- linear_backward


def _linear(dW: str, db: str, dA_prev: str, m: str = "A_prev.shape[1]") -> str:
    return f'''def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = {m}
    dW = {dW}
    db = {db}
    dA_prev = {dA_prev}
    return dA_prev, dW, db
'''


_DW, _DB, _DA = "dZ @ A_prev.T / m", "np.sum(dZ, axis=1, keepdims=True) / m", "W.T @ dZ"

LINEAR = [
    Mistake("missing transpose: dZ @ A_prev", _linear("dZ @ A_prev / m", _DB, _DA)),
    Mistake("dW transposed: A_prev @ dZ.T", _linear("A_prev @ dZ.T / m", _DB, _DA)),
    Mistake("db summed over axis 0", _linear(_DW, "np.sum(dZ, axis=0, keepdims=True) / m", _DA)),
    Mistake("db without keepdims (rank-1)", _linear(_DW, "np.sum(dZ, axis=1) / m", _DA)),
    Mistake("missing 1/m", _linear("dZ @ A_prev.T", "np.sum(dZ, axis=1, keepdims=True)", _DA)),
    Mistake("dA_prev = W @ dZ (no transpose)", _linear(_DW, _DB, "W @ dZ")),
    Mistake("dA_prev divided by m too", _linear(_DW, _DB, "W.T @ dZ / m")),
    Mistake("m read from the wrong axis", _linear(_DW, _DB, _DA, m="A_prev.shape[0]")),
    Mistake("db as the mean of all entries", _linear(_DW, "np.mean(dZ) * np.ones((dZ.shape[0], 1))", _DA)),
    Mistake("divides the caller's dZ in place (dZ /= m)", '''def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dZ /= m
    dW = dZ @ A_prev.T
    db = np.sum(dZ, axis=1, keepdims=True)
    dA_prev = W.T @ dZ * m
    return dA_prev, dW, db
'''),
    Mistake("calls bpkit's reference", '''import bpkit.network


def linear_backward(dZ, cache):
    return bpkit.network.linear_backward(dZ, cache)
'''),
]

# ---------------------------------------------------------------------------------------------- activations


def _sigmoid(body: str) -> str:
    return f'''def sigmoid_backward(dA, Z):
{body}
'''


SIGMOID = [
    Mistake("derivative at sigmoid(Z) instead of Z", _sigmoid('''    s = sigmoid(sigmoid(Z))
    return dA * s * (1 - s)''')),
    Mistake("Z used as if it were sigmoid(Z)", _sigmoid('''    return dA * Z * (1 - Z)''')),
    Mistake("dZ = dA * A", _sigmoid('''    return dA * sigmoid(Z)''')),
    Mistake("dA forgotten", _sigmoid('''    s = sigmoid(Z)
    return s * (1 - s)''')),
    Mistake("naive sigmoid overflows for large -Z", _sigmoid('''    s = 1 / (1 + np.exp(-Z))
    return dA * s * (1 - s)''')),
    Mistake("calls bpkit's reference", '''import bpkit.network


def sigmoid_backward(dA, Z):
    return bpkit.network.sigmoid_backward(dA, Z)
'''),
]


def _relu(body: str) -> str:
    return f'''def relu_backward(dA, Z):
{body}
'''


RELU = [
    Mistake("Z >= 0 instead of Z > 0", _relu('''    return np.where(Z >= 0, dA, 0.0)''')),
    Mistake("mask taken from dA instead of Z", _relu('''    return np.where(dA > 0, dA, 0.0)''')),
    Mistake("changes dA in place", _relu('''    dZ = dA
    dZ[Z <= 0] = 0
    return dZ''')),
    Mistake("derivative only, dA not multiplied in", _relu('''    return (Z > 0).astype(float)''')),
    Mistake("dZ = dA * A", _relu('''    return dA * np.maximum(Z, 0)''')),
    Mistake("calls bpkit's reference", '''import bpkit.network


def relu_backward(dA, Z):
    return bpkit.network.relu_backward(dA, Z)
'''),
]


def _layer(body: str) -> str:
    return f'''def linear_activation_backward(dA, cache, activation):
    linear_cache, Z = cache
{body}
'''


LAYER = [
    Mistake("activations swapped", _layer('''    if activation == "sigmoid":
        dZ = relu_backward(dA, Z)
    else:
        dZ = sigmoid_backward(dA, Z)
    return linear_backward(dZ, linear_cache)''')),
    Mistake("always ReLU", _layer('''    dZ = relu_backward(dA, Z)
    return linear_backward(dZ, linear_cache)''')),
    Mistake("skips the activation", _layer('''    return linear_backward(dA, linear_cache)''')),
    Mistake("returns (dW, db, dA_prev)", _layer('''    dZ = sigmoid_backward(dA, Z) if activation == "sigmoid" else relu_backward(dA, Z)
    dA_prev, dW, db = linear_backward(dZ, linear_cache)
    return dW, db, dA_prev''')),
    Mistake("activation derivative applied after the linear step", _layer('''    dA_prev, dW, db = linear_backward(dA, linear_cache)
    A_prev = linear_cache[0]
    if activation == "sigmoid":
        return sigmoid_backward(dA_prev, A_prev), dW, db
    return relu_backward(dA_prev, A_prev), dW, db''')),
    Mistake("calls bpkit's activation backward", '''import bpkit.network


def linear_activation_backward(dA, cache, activation):
    linear_cache, Z = cache
    if activation == "sigmoid":
        dZ = bpkit.network.sigmoid_backward(dA, Z)
    else:
        dZ = bpkit.network.relu_backward(dA, Z)
    return linear_backward(dZ, linear_cache)
'''),
    Mistake("calls bpkit's reference", '''import bpkit.network


def linear_activation_backward(dA, cache, activation):
    return bpkit.network.linear_activation_backward(dA, cache, activation)
'''),
]

# ---------------------------------------------------------------------------------------------- model_backward

_MODEL_HEAD = '''def model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
'''
_OUTPUT = '''    dA, grads[f"dW{L}"], grads[f"db{L}"] = linear_backward(AL - Y, caches[L - 1][0])
'''


def _model(output: str, loop: str) -> str:
    return _MODEL_HEAD + output + loop + "    return grads\n"


_LOOP = '''    for l in range(L - 1, 0, -1):
        dA, grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(dA, caches[l - 1], "relu")
'''

MODEL = [
    Mistake("off-by-one keys in the hidden layers", _model(_OUTPUT, '''    for l in range(L - 1, 0, -1):
        dA, grads[f"dW{l + 1}"], grads[f"db{l + 1}"] = linear_activation_backward(dA, caches[l - 1], "relu")
''')),
    Mistake("wrong cache: caches[l] for layer l", _model(_OUTPUT, '''    for l in range(L - 1, 0, -1):
        dA, grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(dA, caches[l], "relu")
''')),
    Mistake("sigmoid in the hidden layers", _model(_OUTPUT, '''    for l in range(L - 1, 0, -1):
        dA, grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(dA, caches[l - 1], "sigmoid")
''')),
    Mistake("dAL sign flipped", _model('''    dAL = Y / AL - (1 - Y) / (1 - AL)
    dA, grads[f"dW{L}"], grads[f"db{L}"] = linear_activation_backward(dAL, caches[L - 1], "sigmoid")
''', _LOOP)),
    Mistake("dZL = Y - AL", _model('''    dA, grads[f"dW{L}"], grads[f"db{L}"] = linear_backward(Y - AL, caches[L - 1][0])
''', _LOOP)),
    Mistake("forgets the first layer", _model(_OUTPUT, '''    for l in range(L - 1, 1, -1):
        dA, grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(dA, caches[l - 1], "relu")
''')),
    Mistake("dA never updated in the loop", _model(_OUTPUT, '''    for l in range(L - 1, 0, -1):
        _, grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(dA, caches[l - 1], "relu")
''')),
    Mistake("ReLU at the output layer", _model('''    dAL = -Y / AL + (1 - Y) / (1 - AL)
    dA, grads[f"dW{L}"], grads[f"db{L}"] = linear_activation_backward(dAL, caches[L - 1], "relu")
''', _LOOP)),
    Mistake("dZL divided by m (then again in linear_backward)", _model('''    dZL = (AL - Y) / AL.shape[1]
    dA, grads[f"dW{L}"], grads[f"db{L}"] = linear_backward(dZL, caches[L - 1][0])
''', _LOOP)),
    Mistake("calls bpkit's reference", '''import bpkit.network


def model_backward(AL, Y, caches):
    return bpkit.network.model_backward(AL, Y, caches)
'''),
]

# ---------------------------------------------------------------------------------------------- gradient_check


def _gradcheck(nudge: str, error: str, keys: str = "key", setup: str = "") -> str:
    """A gradient_check whose inner loop is `nudge` (sets g_num[index]) and whose error is `error`."""
    return f'''def gradient_check(cost_fn, params, grads, epsilon=1e-7):
    work = {{key: np.array(value, dtype=float) for key, value in params.items()}}
{setup}    errors = {{}}
    for key, value in work.items():
        g_num = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            original = value[index]
{nudge}
        g = np.asarray(grads["d" + key], dtype=float)
        errors[{keys}] = {error}
    return errors
'''


_CENTRAL = '''            value[index] = original + epsilon
            plus = cost_fn(work)
            value[index] = original - epsilon
            minus = cost_fn(work)
            value[index] = original
            g_num[index] = (plus - minus) / (2 * epsilon)'''
_ERROR = ("float(np.linalg.norm(g - g_num) / (np.linalg.norm(g) + np.linalg.norm(g_num))) "
          "if np.linalg.norm(g) + np.linalg.norm(g_num) > 0 else 0.0")

GRADCHECK = [
    Mistake("forward difference", _gradcheck('''            base = cost_fn(work)
            value[index] = original + epsilon
            plus = cost_fn(work)
            value[index] = original
            g_num[index] = (plus - base) / epsilon''', _ERROR)),
    Mistake("does not restore params (nudges the caller's arrays)", '''def gradient_check(cost_fn, params, grads, epsilon=1e-7):
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
'''),
    Mistake("divides by epsilon instead of 2 epsilon", _gradcheck(_CENTRAL.replace("(2 * epsilon)", "epsilon"), _ERROR)),
    Mistake("relative error without the denominator", _gradcheck(_CENTRAL, "float(np.linalg.norm(g - g_num))")),
    Mistake("ignores the epsilon argument", _gradcheck(_CENTRAL.replace("epsilon", "1e-5"), _ERROR)),
    Mistake("keys 'dW1' instead of 'W1'", _gradcheck(_CENTRAL, _ERROR, keys='"d" + key')),
    Mistake("no guard when both gradients are zero", _gradcheck(
        _CENTRAL, "float(np.linalg.norm(g - g_num) / (np.linalg.norm(g) + np.linalg.norm(g_num)))")),
    Mistake("calls bpkit's reference", '''import bpkit.gradcheck


def gradient_check(cost_fn, params, grads, epsilon=1e-7):
    return bpkit.gradcheck.gradient_check(cost_fn, params, grads, epsilon)
'''),
    Mistake("uses bpkit's numerical_gradient", '''import bpkit.gradcheck


def gradient_check(cost_fn, params, grads, epsilon=1e-7):
    numeric = bpkit.gradcheck.numerical_gradient(cost_fn, params, epsilon)
    errors = {}
    for key in params:
        g, g_num = grads["d" + key], numeric["d" + key]
        total = np.linalg.norm(g) + np.linalg.norm(g_num)
        errors[key] = float(np.linalg.norm(g - g_num) / total) if total > 0 else 0.0
    return errors
'''),
]

# ---------------------------------------------------------------------------------------------- fixed_model_backward


def _fixed(dA1: str = "W2.T @ dZ2", disagreeing: str = '{"W1", "b1"}', dZ1_mask: str = "Z1 > 0") -> str:
    return f'''def fixed_model_backward(AL, Y, caches):
    (A0, W1, b1), Z1 = caches[0]
    (A1, W2, b2), Z2 = caches[1]
    (A2, W3, b3), Z3 = caches[2]
    m = A0.shape[1]

    dZ3 = AL - Y
    dW3 = dZ3 @ A2.T / m
    db3 = np.sum(dZ3, axis=1, keepdims=True) / m
    dA2 = W3.T @ dZ3

    dZ2 = dA2 * (Z2 > 0)
    dW2 = dZ2 @ A1.T / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dA1 = {dA1}

    dZ1 = dA1 * ({dZ1_mask})
    dW1 = dZ1 @ A0.T / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m

    return {{"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2, "dW3": dW3, "db3": db3}}


disagreeing = {disagreeing}
'''


FIXED = [
    Mistake("blames layer 2, where the wrong line is written", _fixed(disagreeing='{"W2", "b2"}')),
    Mistake("names only W1", _fixed(disagreeing='{"W1"}')),
    Mistake("gradient names instead of parameter names", _fixed(disagreeing='{"dW1", "db1"}')),
    Mistake("names as one string", _fixed(disagreeing='"W1, b1"')),
    Mistake("bug left in place", _fixed(dA1="W2 @ dZ2")),
    Mistake("wrong fix: transposes the result instead of W2", _fixed(dA1="(W2 @ dZ2.T).T")),
    Mistake("wrong fix: ReLU mask >= 0 changed instead", _fixed(dA1="W2 @ dZ2", dZ1_mask="Z1 >= 0")),
    Mistake("right fix, but the ReLU mask Z1 >= 0 (slope 1 at z = 0)", _fixed(dZ1_mask="Z1 >= 0")),
    Mistake("calls model_backward instead of fixing", '''def fixed_model_backward(AL, Y, caches):
    return model_backward(AL, Y, caches)


disagreeing = {"W1", "b1"}
'''),
    Mistake("calls bpkit's reference", '''import bpkit.network


def fixed_model_backward(AL, Y, caches):
    return bpkit.network.model_backward(AL, Y, caches)


disagreeing = {"W1", "b1"}
'''),
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
