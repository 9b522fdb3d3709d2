"""Typical wrong answers for notebook 02 (forward propagation): each must lose points when graded."""
from autograder.mistakes import Mistake

MISTAKES = {
    "count_parameters": [
        Mistake("only the weights, no biases", '''
def count_parameters(layer_dims):
    total = 0
    for l in range(1, len(layer_dims)):
        total += layer_dims[l] * layer_dims[l - 1]
    return total
'''),
        Mistake("a bias per unit of the previous layer", '''
def count_parameters(layer_dims):
    total = 0
    for l in range(1, len(layer_dims)):
        total += layer_dims[l] * layer_dims[l - 1] + layer_dims[l - 1]
    return total
'''),
        Mistake("one bias per layer instead of per unit", '''
def count_parameters(layer_dims):
    total = 0
    for l in range(1, len(layer_dims)):
        total += layer_dims[l] * layer_dims[l - 1] + 1
    return total
'''),
        Mistake("loop stops before the output layer", '''
def count_parameters(layer_dims):
    total = 0
    for l in range(1, len(layer_dims) - 1):
        total += layer_dims[l] * (layer_dims[l - 1] + 1)
    return total
'''),
        Mistake("the d-q-l formula for every network", '''
def count_parameters(layer_dims):
    d, q, l = layer_dims[0], layer_dims[1], layer_dims[-1]
    return (d + l + 1) * q + l
'''),
        Mistake("returns a float", '''
def count_parameters(layer_dims):
    return float(sum(n * (n_prev + 1) for n_prev, n in zip(layer_dims[:-1], layer_dims[1:])))
'''),
        Mistake("calls bpkit's reference", '''
def count_parameters(layer_dims):
    return bpkit.network.count_parameters(layer_dims)
'''),
    ],
    "initialize_parameters": [
        Mistake("W transposed (n[l-1], n[l])", '''
def initialize_parameters(layer_dims, seed=0):
    rng = np.random.default_rng(seed)
    params = {}
    for l in range(1, len(layer_dims)):
        params["W" + str(l)] = rng.standard_normal((layer_dims[l - 1], layer_dims[l])) * np.sqrt(2 / layer_dims[l - 1])
        params["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return params
'''),
        Mistake("scale sqrt(1 / n[l-1])", '''
def initialize_parameters(layer_dims, seed=0):
    rng = np.random.default_rng(seed)
    params = {}
    for l in range(1, len(layer_dims)):
        params["W" + str(l)] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * np.sqrt(1 / layer_dims[l - 1])
        params["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return params
'''),
        Mistake("scale uses n[l]", '''
def initialize_parameters(layer_dims, seed=0):
    rng = np.random.default_rng(seed)
    params = {}
    for l in range(1, len(layer_dims)):
        params["W" + str(l)] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * np.sqrt(2 / layer_dims[l])
        params["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return params
'''),
        Mistake("b drawn from the generator too", '''
def initialize_parameters(layer_dims, seed=0):
    rng = np.random.default_rng(seed)
    params = {}
    for l in range(1, len(layer_dims)):
        params["W" + str(l)] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * np.sqrt(2 / layer_dims[l - 1])
        params["b" + str(l)] = rng.standard_normal((layer_dims[l], 1))
    return params
'''),
        Mistake("legacy np.random.seed / randn", '''
def initialize_parameters(layer_dims, seed=0):
    np.random.seed(seed)
    params = {}
    for l in range(1, len(layer_dims)):
        params["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * np.sqrt(2 / layer_dims[l - 1])
        params["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return params
'''),
        Mistake("a new generator in every layer", '''
def initialize_parameters(layer_dims, seed=0):
    params = {}
    for l in range(1, len(layer_dims)):
        rng = np.random.default_rng(seed)
        params["W" + str(l)] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * np.sqrt(2 / layer_dims[l - 1])
        params["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return params
'''),
        Mistake("loop skips the output layer", '''
def initialize_parameters(layer_dims, seed=0):
    rng = np.random.default_rng(seed)
    params = {}
    for l in range(1, len(layer_dims) - 1):
        params["W" + str(l)] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * np.sqrt(2 / layer_dims[l - 1])
        params["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return params
'''),
        Mistake("rank-1 biases", '''
def initialize_parameters(layer_dims, seed=0):
    rng = np.random.default_rng(seed)
    params = {}
    for l in range(1, len(layer_dims)):
        params["W" + str(l)] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * np.sqrt(2 / layer_dims[l - 1])
        params["b" + str(l)] = np.zeros(layer_dims[l])
    return params
'''),
        Mistake("ignores the seed", '''
def initialize_parameters(layer_dims, seed=0):
    rng = np.random.default_rng(1)
    params = {}
    for l in range(1, len(layer_dims)):
        params["W" + str(l)] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * np.sqrt(2 / layer_dims[l - 1])
        params["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return params
'''),
        Mistake("calls bpkit's reference", '''
def initialize_parameters(layer_dims, seed=0):
    return bpkit.network.initialize_parameters(layer_dims, seed)
'''),
    ],
    "linear_forward": [
        Mistake("forgets + b", '''
def linear_forward(A_prev, W, b):
    Z = W @ A_prev
    return Z, (A_prev, W, b)
'''),
        Mistake("W.T @ A_prev", '''
def linear_forward(A_prev, W, b):
    Z = W.T @ A_prev + b
    return Z, (A_prev, W, b)
'''),
        Mistake("cache in the wrong order", '''
def linear_forward(A_prev, W, b):
    Z = W @ A_prev + b
    return Z, (W, A_prev, b)
'''),
        Mistake("cache without b", '''
def linear_forward(A_prev, W, b):
    Z = W @ A_prev + b
    return Z, (A_prev, W)
'''),
        Mistake("one example per row: A_prev.T @ W.T", '''
def linear_forward(A_prev, W, b):
    Z = A_prev.T @ W.T + b.T
    return Z, (A_prev, W, b)
'''),
        Mistake("flattens the caller's b in place (b.shape = ...)", '''
def linear_forward(A_prev, W, b):
    b.shape = (b.size,)
    Z = W @ A_prev + b[:, None]
    return Z, (A_prev, W, b)
'''),
        Mistake("calls bpkit's reference", '''
def linear_forward(A_prev, W, b):
    return bpkit.network.linear_forward(A_prev, W, b)
'''),
    ],
    "linear_activation_forward": [
        Mistake("cache order swapped (Z, linear_cache)", '''
def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    if activation == "sigmoid":
        A = sigmoid(Z)
    elif activation == "relu":
        A = relu(Z)
    else:
        raise ValueError(activation)
    return A, (Z, linear_cache)
'''),
        Mistake("cache keeps A instead of Z", '''
def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    if activation == "sigmoid":
        A = sigmoid(Z)
    elif activation == "relu":
        A = relu(Z)
    else:
        raise ValueError(activation)
    return A, (linear_cache, A)
'''),
        Mistake("activations swapped", '''
def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    if activation == "relu":
        A = sigmoid(Z)
    elif activation == "sigmoid":
        A = relu(Z)
    else:
        raise ValueError(activation)
    return A, (linear_cache, Z)
'''),
        Mistake("own linear step without the bias", '''
def linear_activation_forward(A_prev, W, b, activation):
    Z = W @ A_prev
    if activation == "sigmoid":
        A = sigmoid(Z)
    elif activation == "relu":
        A = relu(Z)
    else:
        raise ValueError(activation)
    return A, ((A_prev, W, b), Z)
'''),
        Mistake("unknown activation falls back to relu", '''
def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    if activation == "sigmoid":
        A = sigmoid(Z)
    else:
        A = relu(Z)
    return A, (linear_cache, Z)
'''),
        Mistake("naive sigmoid overflows for large |z|", '''
def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    if activation == "sigmoid":
        A = 1 / (1 + np.exp(-Z))
    elif activation == "relu":
        A = np.maximum(0, Z)
    else:
        raise ValueError(activation)
    return A, (linear_cache, Z)
'''),
        Mistake("ReLU in place overwrites Z in the cache", '''
def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    if activation == "sigmoid":
        A = sigmoid(Z)
    elif activation == "relu":
        A = np.maximum(Z, 0, out=Z)
    else:
        raise ValueError(activation)
    return A, (linear_cache, Z)
'''),
        Mistake("calls bpkit's reference", '''
def linear_activation_forward(A_prev, W, b, activation):
    return bpkit.network.linear_activation_forward(A_prev, W, b, activation)
'''),
    ],
    "model_forward": [
        Mistake("sigmoid in the hidden layers", '''
def model_forward(X, params):
    L = len(params) // 2
    caches = []
    A = X
    for l in range(1, L + 1):
        A, cache = linear_activation_forward(A, params["W" + str(l)], params["b" + str(l)], "sigmoid")
        caches.append(cache)
    return A, caches
'''),
        Mistake("ReLU at the output", '''
def model_forward(X, params):
    L = len(params) // 2
    caches = []
    A = X
    for l in range(1, L + 1):
        A, cache = linear_activation_forward(A, params["W" + str(l)], params["b" + str(l)], "relu")
        caches.append(cache)
    return A, caches
'''),
        Mistake("loop stops one layer early", '''
def model_forward(X, params):
    L = len(params) // 2
    caches = []
    A = X
    for l in range(1, L):
        activation = "sigmoid" if l == L else "relu"
        A, cache = linear_activation_forward(A, params["W" + str(l)], params["b" + str(l)], activation)
        caches.append(cache)
    return A, caches
'''),
        Mistake("output layer's cache not kept", '''
def model_forward(X, params):
    L = len(params) // 2
    caches = []
    A = X
    for l in range(1, L):
        A, cache = linear_activation_forward(A, params["W" + str(l)], params["b" + str(l)], "relu")
        caches.append(cache)
    AL, cache = linear_activation_forward(A, params["W" + str(L)], params["b" + str(L)], "sigmoid")
    return AL, caches
'''),
        Mistake("hard-coded two-layer network", '''
def model_forward(X, params):
    A1, cache1 = linear_activation_forward(X, params["W1"], params["b1"], "relu")
    A2, cache2 = linear_activation_forward(A1, params["W2"], params["b2"], "sigmoid")
    return A2, [cache1, cache2]
'''),
        Mistake("X fed to every layer", '''
def model_forward(X, params):
    L = len(params) // 2
    caches = []
    for l in range(1, L + 1):
        activation = "sigmoid" if l == L else "relu"
        A, cache = linear_activation_forward(X, params["W" + str(l)], params["b" + str(l)], activation)
        caches.append(cache)
    return A, caches
'''),
        Mistake("L counts the dict entries", '''
def model_forward(X, params):
    L = len(params)
    caches = []
    A = X
    for l in range(1, L + 1):
        activation = "sigmoid" if l == L else "relu"
        A, cache = linear_activation_forward(A, params["W" + str(l)], params["b" + str(l)], activation)
        caches.append(cache)
    return A, caches
'''),
        Mistake("keeps only the linear caches", '''
def model_forward(X, params):
    L = len(params) // 2
    caches = []
    A = X
    for l in range(1, L + 1):
        activation = "sigmoid" if l == L else "relu"
        A, (linear_cache, Z) = linear_activation_forward(A, params["W" + str(l)], params["b" + str(l)], activation)
        caches.append(linear_cache)
    return A, caches
'''),
        Mistake("centres X in place", '''
def model_forward(X, params):
    X -= X.mean(axis=1, keepdims=True)
    L = len(params) // 2
    caches = []
    A = X
    for l in range(1, L + 1):
        activation = "sigmoid" if l == L else "relu"
        A, cache = linear_activation_forward(A, params["W" + str(l)], params["b" + str(l)], activation)
        caches.append(cache)
    return A, caches
'''),
        Mistake("calls bpkit's linear_activation_forward", '''
def model_forward(X, params):
    L = len(params) // 2
    caches = []
    A = X
    for l in range(1, L + 1):
        activation = "sigmoid" if l == L else "relu"
        A, cache = bpkit.network.linear_activation_forward(A, params["W" + str(l)], params["b" + str(l)], activation)
        caches.append(cache)
    return A, caches
'''),
        Mistake("calls bpkit's model_forward", '''
def model_forward(X, params):
    return bpkit.network.model_forward(X, params)
'''),
    ],
    "squared_error_cost": [
        Mistake("missing 1/2", '''
def squared_error_cost(AL, Y):
    m = AL.shape[1]
    return float(np.sum((AL - Y) ** 2) / m)
'''),
        Mistake("missing 1/m", '''
def squared_error_cost(AL, Y):
    return float(0.5 * np.sum((AL - Y) ** 2))
'''),
        Mistake("mean over every entry", '''
def squared_error_cost(AL, Y):
    return float(np.mean((AL - Y) ** 2) / 2)
'''),
        Mistake("m taken from the rows", '''
def squared_error_cost(AL, Y):
    m = AL.shape[0]
    return float(np.sum((AL - Y) ** 2) / (2 * m))
'''),
        Mistake("absolute instead of squared error", '''
def squared_error_cost(AL, Y):
    m = AL.shape[1]
    return float(np.sum(np.abs(AL - Y)) / (2 * m))
'''),
        Mistake("calls bpkit's reference", '''
def squared_error_cost(AL, Y):
    return bpkit.losses.squared_error_cost(AL, Y)
'''),
    ],
    "cross_entropy_cost": [
        Mistake("sign flipped", '''
def cross_entropy_cost(AL, Y):
    m = AL.shape[1]
    A = np.clip(AL, 1e-12, 1 - 1e-12)
    return float(np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m)
'''),
        Mistake("summed instead of averaged", '''
def cross_entropy_cost(AL, Y):
    A = np.clip(AL, 1e-12, 1 - 1e-12)
    return float(-np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)))
'''),
        Mistake("only the y log a term", '''
def cross_entropy_cost(AL, Y):
    m = AL.shape[1]
    A = np.clip(AL, 1e-12, 1 - 1e-12)
    return float(-np.sum(Y * np.log(A)) / m)
'''),
        Mistake("no clipping: log of 0", '''
def cross_entropy_cost(AL, Y):
    m = AL.shape[1]
    return float(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m)
'''),
        Mistake("np.dot(Y, log(AL).T): a matrix once n[L] > 1", '''
def cross_entropy_cost(AL, Y):
    m = AL.shape[1]
    A = np.clip(AL, 1e-12, 1 - 1e-12)
    return float(-(np.dot(Y, np.log(A).T) + np.dot(1 - Y, np.log(1 - A).T)) / m)
'''),
        Mistake("np.where picks the right log but evaluates log(0) too", '''
def cross_entropy_cost(AL, Y):
    m = AL.shape[1]
    return float(-np.sum(np.where(Y == 1, np.log(AL), np.log(1 - AL))) / m)
'''),
        Mistake("mean over every entry", '''
def cross_entropy_cost(AL, Y):
    A = np.clip(AL, 1e-12, 1 - 1e-12)
    return float(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)))
'''),
        Mistake("m taken from the rows", '''
def cross_entropy_cost(AL, Y):
    m = len(AL)
    A = np.clip(AL, 1e-12, 1 - 1e-12)
    return float(-np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m)
'''),
        Mistake("calls bpkit's reference", '''
def cross_entropy_cost(AL, Y):
    return bpkit.losses.cross_entropy_cost(AL, Y)
'''),
    ],
}
