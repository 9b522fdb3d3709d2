"""Typical wrong answers for notebook 06 (training); each must lose the points of its test cell."""

from autograder.mistakes import edit, rewrite

_W_STEP = 'params[f"W{l}"] - learning_rate * grads[f"dW{l}"]'
_B_STEP = 'params[f"b{l}"] - learning_rate * grads[f"db{l}"]'
_EPOCHS = "    for epoch in range(num_epochs):\n"
_EPOCH_COST = "        cost = cross_entropy_cost(model_forward(X, params)[0], Y)\n"
_BATCHES = "for X_batch, Y_batch in minibatches(X, Y, size, rng):"
_FORWARD = "            AL, caches = model_forward(X_batch, params)\n"
_RNG = "    rng = np.random.default_rng(seed)\n"
_INIT = "    params = initialize_parameters(layer_dims, seed)\n"

MISTAKES = {
    "update_parameters": [
        edit("gradient ascent: + instead of -", _W_STEP, _W_STEP.replace(" - ", " + ")).then(
            _B_STEP, _B_STEP.replace(" - ", " + ")
        ),
        edit("biases forgotten", "new_params = {}", "new_params = params").then(
            f'        new_params[f"b{{l}}"] = {_B_STEP}\n', ""
        ),
        edit("only the last layer updated", "new_params = {}", "new_params = params").then(
            "range(1, L + 1)", "range(L, L + 1)"
        ),
        edit("grads keyed wrong: the bias updated with dW", 'grads[f"db{l}"]', 'grads[f"dW{l}"]'),
        edit("learning rate left out", _W_STEP, 'params[f"W{l}"] - grads[f"dW{l}"]').then(
            _B_STEP, 'params[f"b{l}"] - grads[f"db{l}"]'
        ),
        edit("hard-coded two layers", "L = len(params) // 2", "L = 2"),
        rewrite(
            "calls bpkit's reference",
            """
def update_parameters(params, grads, learning_rate):
    return bpkit.network.update_parameters(params, grads, learning_rate)
""",
        ),
    ],
    "train": [
        edit(
            "no shuffling: batches cut in the original order",
            _BATCHES,
            "for k in range(0, X.shape[1], size):\n            X_batch, Y_batch = X[:, k:k + size], Y[:, k:k + size]",
        ),
        edit("a new rng with the same seed every epoch: same order for ever", _RNG, "").then(
            _EPOCHS, _EPOCHS + "    " + _RNG
        ),
        edit(
            "cost recorded per batch instead of per epoch",
            _FORWARD,
            _FORWARD + "            costs.append(cross_entropy_cost(AL, Y_batch))\n",
        )
        .then(_EPOCH_COST, "        cost = costs[-1]\n")
        .then("        costs.append(cost)\n", ""),
        edit("parameters re-initialised inside the epoch loop", _INIT, "").then(_EPOCHS, _EPOCHS + "    " + _INIT),
        edit("batch_size ignored: always the whole set", "size = batch_size or X.shape[1]", "size = X.shape[1]"),
        edit("off by one: num_epochs + 1 epochs", "range(num_epochs)", "range(num_epochs + 1)"),
        edit("callback epochs counted from 1", "    callback(epoch, cost)", "    callback(epoch + 1, cost)"),
        rewrite(
            "calls bpkit's reference",
            """
def train(X, Y, layer_dims, learning_rate=0.1, num_epochs=100, batch_size=None, seed=0, callback=None):
    return bpkit.network.train(X, Y, layer_dims, learning_rate, num_epochs, batch_size, seed, callback)
""",
        ),
    ],
    "predict": [
        edit(">= 0.5 instead of > 0.5", "AL > 0.5", "AL >= 0.5"),
        edit("argmax over the wrong axis", "axis=0", "axis=1"),
        edit("returns shape (m,) instead of (1, m)", "(AL > 0.5).astype(int)", "(AL > 0.5).astype(int).ravel()").then(
            "np.argmax(AL, axis=0).reshape(1, -1)", "np.argmax(AL, axis=0)"
        ),
        rewrite(
            "returns probabilities",
            """
def predict(X, params):
    AL, _ = model_forward(X, params)
    return AL
""",
        ),
        edit(
            "argmax even for one output unit", "    if AL.shape[0] == 1:\n        return (AL > 0.5).astype(int)\n", ""
        ),
        rewrite(
            "calls bpkit's reference",
            """
def predict(X, params):
    return bpkit.network.predict(X, params)
""",
        ),
    ],
    "train_digits": [
        edit("too few epochs", "num_epochs=20", "num_epochs=2"),
        edit("labels not one-hot", "Y_train = one_hot(digits.y_train, 10)", "Y_train = digits.y_train"),
        edit("wrong layer sizes: a 3-unit bottleneck", "[64, 64, 10]", "[64, 3, 10]"),
        edit("learning rate too large: dead ReLUs", "learning_rate=0.5", "learning_rate=2.0"),
        edit("returns (params, costs)", "params, _ = train(", "params = train("),
        edit("calls bpkit's reference train", "params, _ = train(", "params, _ = bpkit.network.train("),
    ],
}
