"""Typical wrong answers for notebook 02 (forward propagation): each must lose points when graded."""

from autograder.mistakes import edit, rewrite

_PER_LAYER = "layer_dims[l] * (layer_dims[l - 1] + 1)"
_W_DRAW = "rng.standard_normal((layer_dims[l], layer_dims[l - 1]))"
_CROSS_ENTROPY = "Y * np.log(A) + (1 - Y) * np.log(1 - A)"

MISTAKES = {
    "count_parameters": [
        edit("only the weights, no biases", _PER_LAYER, "layer_dims[l] * layer_dims[l - 1]"),
        edit(
            "a bias per unit of the previous layer", _PER_LAYER, "layer_dims[l] * layer_dims[l - 1] + layer_dims[l - 1]"
        ),
        edit("one bias per layer instead of per unit", _PER_LAYER, "layer_dims[l] * layer_dims[l - 1] + 1"),
        edit("loop stops before the output layer", "range(1, len(layer_dims))", "range(1, len(layer_dims) - 1)"),
        rewrite(
            "the d-q-l formula for every network",
            """
def count_parameters(layer_dims):
    d, q, l = layer_dims[0], layer_dims[1], layer_dims[-1]
    return (d + l + 1) * q + l
""",
        ),
        edit("returns a float", "return int(total)", "return float(total)"),
        rewrite(
            "calls bpkit's reference",
            """
def count_parameters(layer_dims):
    return bpkit.network.count_parameters(layer_dims)
""",
        ),
    ],
    "initialize_parameters": [
        edit("W transposed (n[l-1], n[l])", _W_DRAW, "rng.standard_normal((layer_dims[l - 1], layer_dims[l]))"),
        edit("scale sqrt(1 / n[l-1])", "np.sqrt(2 / layer_dims[l - 1])", "np.sqrt(1 / layer_dims[l - 1])"),
        edit("scale uses n[l]", "np.sqrt(2 / layer_dims[l - 1])", "np.sqrt(2 / layer_dims[l])"),
        edit(
            "b drawn from the generator too", "np.zeros((layer_dims[l], 1))", "rng.standard_normal((layer_dims[l], 1))"
        ),
        edit("legacy np.random.seed / randn", "rng = np.random.default_rng(seed=seed)", "np.random.seed(seed)").then(
            _W_DRAW, "np.random.randn(layer_dims[l], layer_dims[l - 1])"
        ),
        edit("a new generator in every layer", "    rng = np.random.default_rng(seed=seed)\n", "").then(
            "for l in range(1, len(layer_dims)):\n",
            "for l in range(1, len(layer_dims)):\n        rng = np.random.default_rng(seed=seed)\n",
        ),
        edit("loop skips the output layer", "range(1, len(layer_dims))", "range(1, len(layer_dims) - 1)"),
        edit("rank-1 biases", "np.zeros((layer_dims[l], 1))", "np.zeros(layer_dims[l])"),
        edit("ignores the seed", "default_rng(seed=seed)", "default_rng(1)"),
        rewrite(
            "calls bpkit's reference",
            """
def initialize_parameters(layer_dims, seed=0):
    return bpkit.network.initialize_parameters(layer_dims, seed)
""",
        ),
    ],
    "linear_forward": [
        edit("forgets + b", "Z = W @ A_prev + b", "Z = W @ A_prev"),
        edit("W.T @ A_prev", "W @ A_prev", "W.T @ A_prev"),
        edit("cache in the wrong order", "    cache = (A_prev, W, b)\n", "    cache = (W, A_prev, b)\n"),
        edit("cache without b", "    cache = (A_prev, W, b)\n", "    cache = (A_prev, W)\n"),
        edit("one example per row: A_prev.T @ W.T", "W @ A_prev + b", "A_prev.T @ W.T + b.T"),
        edit(
            "flattens the caller's b in place (b.shape = ...)",
            "    Z = W @ A_prev + b\n",
            "    b.shape = (b.size,)\n    Z = W @ A_prev + b[:, None]\n",
        ),
        rewrite(
            "calls bpkit's reference",
            """
def linear_forward(A_prev, W, b):
    return bpkit.network.linear_forward(A_prev, W, b)
""",
        ),
    ],
    "linear_activation_forward": [
        edit("cache order swapped (Z, linear_cache)", "return A, (linear_cache, Z)", "return A, (Z, linear_cache)"),
        edit("cache keeps A instead of Z", "return A, (linear_cache, Z)", "return A, (linear_cache, A)"),
        edit("activations swapped", 'if activation == "sigmoid":', 'if activation == "relu":').then(
            'elif activation == "relu":', 'elif activation == "sigmoid":'
        ),
        edit(
            "own linear step without the bias",
            "Z, linear_cache = linear_forward(A_prev, W, b)",
            "Z = W @ A_prev\n    linear_cache = (A_prev, W, b)",
        ),
        edit(
            "unknown activation falls back to relu",
            """raise ValueError(f"unknown activation {activation!r}: use 'sigmoid' or 'relu'")""",
            "A = relu(Z)",
        ),
        edit("naive sigmoid overflows for large |z|", "A = sigmoid(Z)", "A = 1 / (1 + np.exp(-Z))"),
        edit("ReLU in place overwrites Z in the cache", "A = relu(Z)", "A = np.maximum(Z, 0, out=Z)"),
        rewrite(
            "calls bpkit's reference",
            """
def linear_activation_forward(A_prev, W, b, activation):
    return bpkit.network.linear_activation_forward(A_prev, W, b, activation)
""",
        ),
    ],
    "model_forward": [
        edit("sigmoid in the hidden layers", '"sigmoid" if l == num_layers else "relu"', '"sigmoid"'),
        edit("ReLU at the output", '"sigmoid" if l == num_layers else "relu"', '"relu"'),
        edit("loop stops one layer early", "range(1, num_layers + 1)", "range(1, num_layers)"),
        edit(
            "output layer's cache not kept",
            "        caches.append(cache)\n",
            "        if l < num_layers:\n            caches.append(cache)\n",
        ),
        rewrite(
            "hard-coded two-layer network",
            """
def model_forward(X, params):
    A1, cache1 = linear_activation_forward(X, params["W1"], params["b1"], "relu")
    A2, cache2 = linear_activation_forward(A1, params["W2"], params["b2"], "sigmoid")
    return A2, [cache1, cache2]
""",
        ),
        edit("X fed to every layer", "linear_activation_forward(A, ", "linear_activation_forward(X, "),
        edit("L counts the dict entries", "len(params) // 2", "len(params)"),
        edit("keeps only the linear caches", "caches.append(cache)", "caches.append(cache[0])"),
        edit("centres X in place", "    A = X\n", "    X -= X.mean(axis=1, keepdims=True)\n    A = X\n"),
        edit(
            "calls bpkit's linear_activation_forward",
            "= linear_activation_forward(",
            "= bpkit.network.linear_activation_forward(",
        ),
        rewrite(
            "calls bpkit's model_forward",
            """
def model_forward(X, params):
    return bpkit.network.model_forward(X, params)
""",
        ),
    ],
    "squared_error_cost": [
        edit("missing 1/2", "/ (2 * examples)", "/ examples"),
        edit("missing 1/m", "/ (2 * examples)", "/ 2"),
        edit("mean over every entry", "np.sum((AL - Y) ** 2) / (2 * examples)", "np.mean((AL - Y) ** 2) / 2"),
        edit("m taken from the rows", "AL.shape[1]", "AL.shape[0]"),
        edit("absolute instead of squared error", "np.sum((AL - Y) ** 2)", "np.sum(np.abs(AL - Y))"),
        rewrite(
            "calls bpkit's reference",
            """
def squared_error_cost(AL, Y):
    return bpkit.losses.squared_error_cost(AL, Y)
""",
        ),
    ],
    "cross_entropy_cost": [
        edit("sign flipped", "float(-np.sum(", "float(np.sum("),
        edit("summed instead of averaged", " / examples)", ")"),
        edit("only the y log a term", _CROSS_ENTROPY, "Y * np.log(A)"),
        edit("no clipping: log of 0", "np.clip(AL, 1e-12, 1 - 1e-12)", "AL"),
        edit(
            "np.dot(Y, log(AL).T): a matrix once n[L] > 1",
            f"-np.sum({_CROSS_ENTROPY})",
            "-(np.dot(Y, np.log(A).T) + np.dot(1 - Y, np.log(1 - A).T))",
        ),
        edit("np.where picks the right log but evaluates log(0) too", "np.clip(AL, 1e-12, 1 - 1e-12)", "AL").then(
            _CROSS_ENTROPY, "np.where(Y == 1, np.log(A), np.log(1 - A))"
        ),
        edit("mean over every entry", "-np.sum(", "-np.mean(").then(" / examples)", ")"),
        edit("m taken from the rows", "AL.shape[1]", "len(AL)"),
        rewrite(
            "calls bpkit's reference",
            """
def cross_entropy_cost(AL, Y):
    return bpkit.losses.cross_entropy_cost(AL, Y)
""",
        ),
    ],
}
