"""Typical wrong answers for notebook 06 (training); each must lose the points of its test cell."""
from autograder.mistakes import Mistake

MISTAKES = {
    "update_parameters": [
        Mistake("gradient ascent: + instead of -", '''
def update_parameters(params, grads, learning_rate):
    L = len(params) // 2
    new_params = {}
    for l in range(1, L + 1):
        new_params[f"W{l}"] = params[f"W{l}"] + learning_rate * grads[f"dW{l}"]
        new_params[f"b{l}"] = params[f"b{l}"] + learning_rate * grads[f"db{l}"]
    return new_params
'''),
        Mistake("biases forgotten", '''
def update_parameters(params, grads, learning_rate):
    L = len(params) // 2
    for l in range(1, L + 1):
        params[f"W{l}"] = params[f"W{l}"] - learning_rate * grads[f"dW{l}"]
    return params
'''),
        Mistake("only the last layer updated", '''
def update_parameters(params, grads, learning_rate):
    L = len(params) // 2
    params[f"W{L}"] = params[f"W{L}"] - learning_rate * grads[f"dW{L}"]
    params[f"b{L}"] = params[f"b{L}"] - learning_rate * grads[f"db{L}"]
    return params
'''),
        Mistake("grads keyed wrong: the bias updated with dW", '''
def update_parameters(params, grads, learning_rate):
    L = len(params) // 2
    new_params = {}
    for l in range(1, L + 1):
        new_params[f"W{l}"] = params[f"W{l}"] - learning_rate * grads[f"dW{l}"]
        new_params[f"b{l}"] = params[f"b{l}"] - learning_rate * grads[f"dW{l}"]
    return new_params
'''),
        Mistake("learning rate left out", '''
def update_parameters(params, grads, learning_rate):
    return {key: value - grads["d" + key] for key, value in params.items()}
'''),
        Mistake("hard-coded two layers", '''
def update_parameters(params, grads, learning_rate):
    return {
        "W1": params["W1"] - learning_rate * grads["dW1"],
        "b1": params["b1"] - learning_rate * grads["db1"],
        "W2": params["W2"] - learning_rate * grads["dW2"],
        "b2": params["b2"] - learning_rate * grads["db2"],
    }
'''),
        Mistake("calls bpkit's reference", '''
def update_parameters(params, grads, learning_rate):
    return bpkit.network.update_parameters(params, grads, learning_rate)
'''),
    ],
    "train": [
        Mistake("no shuffling: batches cut in the original order", '''
def train(X, Y, layer_dims, learning_rate=0.1, num_epochs=100, batch_size=None, seed=0, callback=None):
    params = initialize_parameters(layer_dims, seed)
    m = X.shape[1]
    size = batch_size or m
    costs = []
    for epoch in range(num_epochs):
        for k in range(0, m, size):
            AL, caches = model_forward(X[:, k:k + size], params)
            grads = model_backward(AL, Y[:, k:k + size], caches)
            params = update_parameters(params, grads, learning_rate)
        cost = cross_entropy_cost(model_forward(X, params)[0], Y)
        costs.append(cost)
        if callback is not None:
            callback(epoch, cost)
    return params, costs
'''),
        Mistake("a new rng with the same seed every epoch: same order for ever", '''
def train(X, Y, layer_dims, learning_rate=0.1, num_epochs=100, batch_size=None, seed=0, callback=None):
    params = initialize_parameters(layer_dims, seed)
    size = batch_size or X.shape[1]
    costs = []
    for epoch in range(num_epochs):
        rng = np.random.default_rng(seed)
        for X_batch, Y_batch in minibatches(X, Y, size, rng):
            AL, caches = model_forward(X_batch, params)
            params = update_parameters(params, model_backward(AL, Y_batch, caches), learning_rate)
        cost = cross_entropy_cost(model_forward(X, params)[0], Y)
        costs.append(cost)
        if callback is not None:
            callback(epoch, cost)
    return params, costs
'''),
        Mistake("cost recorded per batch instead of per epoch", '''
def train(X, Y, layer_dims, learning_rate=0.1, num_epochs=100, batch_size=None, seed=0, callback=None):
    params = initialize_parameters(layer_dims, seed)
    rng = np.random.default_rng(seed)
    size = batch_size or X.shape[1]
    costs = []
    for epoch in range(num_epochs):
        for X_batch, Y_batch in minibatches(X, Y, size, rng):
            AL, caches = model_forward(X_batch, params)
            costs.append(cross_entropy_cost(AL, Y_batch))
            params = update_parameters(params, model_backward(AL, Y_batch, caches), learning_rate)
        if callback is not None:
            callback(epoch, costs[-1])
    return params, costs
'''),
        Mistake("parameters re-initialised inside the epoch loop", '''
def train(X, Y, layer_dims, learning_rate=0.1, num_epochs=100, batch_size=None, seed=0, callback=None):
    rng = np.random.default_rng(seed)
    size = batch_size or X.shape[1]
    costs = []
    for epoch in range(num_epochs):
        params = initialize_parameters(layer_dims, seed)
        for X_batch, Y_batch in minibatches(X, Y, size, rng):
            AL, caches = model_forward(X_batch, params)
            params = update_parameters(params, model_backward(AL, Y_batch, caches), learning_rate)
        cost = cross_entropy_cost(model_forward(X, params)[0], Y)
        costs.append(cost)
        if callback is not None:
            callback(epoch, cost)
    return params, costs
'''),
        Mistake("batch_size ignored: always the whole set", '''
def train(X, Y, layer_dims, learning_rate=0.1, num_epochs=100, batch_size=None, seed=0, callback=None):
    params = initialize_parameters(layer_dims, seed)
    rng = np.random.default_rng(seed)
    costs = []
    for epoch in range(num_epochs):
        for X_batch, Y_batch in minibatches(X, Y, X.shape[1], rng):
            AL, caches = model_forward(X_batch, params)
            params = update_parameters(params, model_backward(AL, Y_batch, caches), learning_rate)
        cost = cross_entropy_cost(model_forward(X, params)[0], Y)
        costs.append(cost)
        if callback is not None:
            callback(epoch, cost)
    return params, costs
'''),
        Mistake("off by one: num_epochs + 1 epochs", '''
def train(X, Y, layer_dims, learning_rate=0.1, num_epochs=100, batch_size=None, seed=0, callback=None):
    params = initialize_parameters(layer_dims, seed)
    rng = np.random.default_rng(seed)
    size = batch_size or X.shape[1]
    costs = []
    for epoch in range(num_epochs + 1):
        for X_batch, Y_batch in minibatches(X, Y, size, rng):
            AL, caches = model_forward(X_batch, params)
            params = update_parameters(params, model_backward(AL, Y_batch, caches), learning_rate)
        cost = cross_entropy_cost(model_forward(X, params)[0], Y)
        costs.append(cost)
        if callback is not None:
            callback(epoch, cost)
    return params, costs
'''),
        Mistake("callback epochs counted from 1", '''
def train(X, Y, layer_dims, learning_rate=0.1, num_epochs=100, batch_size=None, seed=0, callback=None):
    params = initialize_parameters(layer_dims, seed)
    rng = np.random.default_rng(seed)
    size = batch_size or X.shape[1]
    costs = []
    for epoch in range(num_epochs):
        for X_batch, Y_batch in minibatches(X, Y, size, rng):
            AL, caches = model_forward(X_batch, params)
            params = update_parameters(params, model_backward(AL, Y_batch, caches), learning_rate)
        cost = cross_entropy_cost(model_forward(X, params)[0], Y)
        costs.append(cost)
        if callback is not None:
            callback(epoch + 1, cost)
    return params, costs
'''),
        Mistake("calls bpkit's reference", '''
def train(X, Y, layer_dims, learning_rate=0.1, num_epochs=100, batch_size=None, seed=0, callback=None):
    return bpkit.network.train(X, Y, layer_dims, learning_rate, num_epochs, batch_size, seed, callback)
'''),
    ],
    "predict": [
        Mistake(">= 0.5 instead of > 0.5", '''
def predict(X, params):
    AL, _ = model_forward(X, params)
    if AL.shape[0] == 1:
        return (AL >= 0.5).astype(int)
    return np.argmax(AL, axis=0).reshape(1, -1)
'''),
        Mistake("argmax over the wrong axis", '''
def predict(X, params):
    AL, _ = model_forward(X, params)
    if AL.shape[0] == 1:
        return (AL > 0.5).astype(int)
    return np.argmax(AL, axis=1).reshape(1, -1)
'''),
        Mistake("returns shape (m,) instead of (1, m)", '''
def predict(X, params):
    AL, _ = model_forward(X, params)
    if AL.shape[0] == 1:
        return (AL > 0.5).astype(int).ravel()
    return np.argmax(AL, axis=0)
'''),
        Mistake("returns probabilities", '''
def predict(X, params):
    AL, _ = model_forward(X, params)
    return AL
'''),
        Mistake("argmax even for one output unit", '''
def predict(X, params):
    AL, _ = model_forward(X, params)
    return np.argmax(AL, axis=0).reshape(1, -1)
'''),
        Mistake("calls bpkit's reference", '''
def predict(X, params):
    return bpkit.network.predict(X, params)
'''),
    ],
    "train_digits": [
        Mistake("too few epochs", '''
def train_digits(digits):
    params, _ = train(digits.X_train, one_hot(digits.y_train, 10), [64, 64, 10], learning_rate=0.5,
                      num_epochs=2, batch_size=32)
    return params
'''),
        Mistake("labels not one-hot", '''
def train_digits(digits):
    params, _ = train(digits.X_train, digits.y_train, [64, 64, 10], learning_rate=0.5, num_epochs=40,
                      batch_size=32)
    return params
'''),
        Mistake("wrong layer sizes: a 3-unit bottleneck", '''
def train_digits(digits):
    params, _ = train(digits.X_train, one_hot(digits.y_train, 10), [64, 3, 10], learning_rate=0.5,
                      num_epochs=40, batch_size=32)
    return params
'''),
        Mistake("learning rate too large: dead ReLUs", '''
def train_digits(digits):
    params, _ = train(digits.X_train, one_hot(digits.y_train, 10), [64, 64, 10], learning_rate=2.0,
                      num_epochs=40, batch_size=32)
    return params
'''),
        Mistake("returns (params, costs)", '''
def train_digits(digits):
    return train(digits.X_train, one_hot(digits.y_train, 10), [64, 64, 10], learning_rate=0.5,
                 num_epochs=40, batch_size=32)
'''),
        Mistake("calls bpkit's reference train", '''
def train_digits(digits):
    params, _ = bpkit.network.train(digits.X_train, one_hot(digits.y_train, 10), [64, 64, 10],
                                    learning_rate=0.5, num_epochs=40, batch_size=32)
    return params
'''),
    ],
}
