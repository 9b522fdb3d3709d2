"""Typical wrong answers for 04-dimension-checks: each must lose points on its own test cell."""
from autograder.mistakes import Mistake

_EXPECTED_HEAD = '''def expected_shapes(layer_dims, m):
    shapes = {}
'''

_CHECK_HEAD = '''def check_shapes(arrays, layer_dims, m):
    table = expected_shapes(layer_dims, m)
'''

_FORWARD_HEAD = '''def fixed_forward(X, params):
    L = len(params) // 2
    cache = {}
    A = X
'''

_FORWARD_TAIL = '''        cache.update({f"W{l}": W, f"b{l}": b, f"Z{l}": Z, f"A{l}": A})
    return A, cache
'''


def _expected(layer: str) -> str:
    """An expected_shapes whose per-layer dict is `layer` (uses n, n_prev, m, l)."""
    return _EXPECTED_HEAD + f'''    for l in range(1, len(layer_dims)):
        n, n_prev = layer_dims[l], layer_dims[l - 1]
        layer = {layer}
        for kind, shape in layer.items():
            shapes[f"{{kind}}{{l}}"] = shape
        for kind, shape in layer.items():
            shapes[f"d{{kind}}{{l}}"] = shape
    return shapes
'''


def _symbolic(name_var: str = "name") -> str:
    """Lines (indented for the body of an `if` inside a `for`) that set kind, l and the symbolic `second`."""
    return f'''            kind = {name_var}.rstrip("0123456789")
            l = int({name_var}[len(kind):])
            second = {{"W": f"n[{{l - 1}}]", "b": "1", "Z": "m", "A": "m"}}[kind.lstrip("d")]
'''


def _forward(hidden_b: str, hidden_z: str, output_z: str, hidden_act: str = "relu(Z)") -> str:
    return _FORWARD_HEAD + f'''    for l in range(1, L + 1):
        W = params[f"W{{l}}"]
        b = {hidden_b} if l < L else params[f"b{{l}}"]
        Z = ({hidden_z}) if l < L else ({output_z})
        A = {hidden_act} if l < L else sigmoid(Z)
''' + _FORWARD_TAIL


MISTAKES = {
    "expected_shapes": [
        Mistake("W transposed (n[l-1], n[l])",
                _expected('{"W": (n_prev, n), "b": (n, 1), "Z": (n, m), "A": (n, m)}')),
        Mistake("b rank-1 (n[l],)",
                _expected('{"W": (n, n_prev), "b": (n,), "Z": (n, m), "A": (n, m)}')),
        Mistake("b as a row (1, n[l])",
                _expected('{"W": (n, n_prev), "b": (1, n), "Z": (n, m), "A": (n, m)}')),
        Mistake("Z and A as (m, n[l])",
                _expected('{"W": (n, n_prev), "b": (n, 1), "Z": (m, n), "A": (m, n)}')),
        Mistake("shapes as lists",
                _expected('{"W": [n, n_prev], "b": [n, 1], "Z": [n, m], "A": [n, m]}')),
        Mistake("forgets the gradient keys", _EXPECTED_HEAD + '''    for l in range(1, len(layer_dims)):
        n, n_prev = layer_dims[l], layer_dims[l - 1]
        shapes.update({f"W{l}": (n, n_prev), f"b{l}": (n, 1), f"Z{l}": (n, m), f"A{l}": (n, m)})
    return shapes
'''),
        Mistake("layers counted from 0", _EXPECTED_HEAD + '''    for l in range(len(layer_dims) - 1):
        n, n_prev = layer_dims[l + 1], layer_dims[l]
        for kind, shape in {"W": (n, n_prev), "b": (n, 1), "Z": (n, m), "A": (n, m)}.items():
            shapes[f"{kind}{l}"] = shape
            shapes[f"d{kind}{l}"] = shape
    return shapes
'''),
        Mistake("stops at layer L-1", _EXPECTED_HEAD + '''    L = len(layer_dims) - 1
    for l in range(1, L):
        n, n_prev = layer_dims[l], layer_dims[l - 1]
        for kind, shape in {"W": (n, n_prev), "b": (n, 1), "Z": (n, m), "A": (n, m)}.items():
            shapes[f"{kind}{l}"] = shape
            shapes[f"d{kind}{l}"] = shape
    return shapes
'''),
        Mistake("dW with the shape of Z", _EXPECTED_HEAD + '''    for l in range(1, len(layer_dims)):
        n, n_prev = layer_dims[l], layer_dims[l - 1]
        for kind, shape in {"W": (n, n_prev), "b": (n, 1), "Z": (n, m), "A": (n, m)}.items():
            shapes[f"{kind}{l}"] = shape
            shapes[f"d{kind}{l}"] = (n, m)
    return shapes
'''),
        Mistake("keys grouped by kind, not by layer", _EXPECTED_HEAD + '''    for kind in ["W", "b", "Z", "A", "dW", "db", "dZ", "dA"]:
        for l in range(1, len(layer_dims)):
            n, n_prev = layer_dims[l], layer_dims[l - 1]
            shapes[f"{kind}{l}"] = {"W": (n, n_prev), "b": (n, 1), "Z": (n, m), "A": (n, m)}[kind.lstrip("d")]
    return shapes
'''),
        Mistake("hard-codes the visible answer", '''def expected_shapes(layer_dims, m):
    shapes = {}
    dims = [4, 5, 3, 1] if len(layer_dims) == 4 else [2, 1]
    m = 8 if len(layer_dims) == 4 else 1
    for l in range(1, len(dims)):
        n, n_prev = dims[l], dims[l - 1]
        for kind, shape in {"W": (n, n_prev), "b": (n, 1), "Z": (n, m), "A": (n, m)}.items():
            shapes[f"{kind}{l}"] = shape
        for kind, shape in {"W": (n, n_prev), "b": (n, 1), "Z": (n, m), "A": (n, m)}.items():
            shapes[f"d{kind}{l}"] = shape
    return shapes
'''),
        Mistake("calls bpkit's reference", '''def expected_shapes(layer_dims, m):
    import bpkit.shapes
    return bpkit.shapes.expected_shapes(layer_dims, m)
'''),
    ],
    "check_shapes": [
        Mistake("returns False instead of raising", _CHECK_HEAD + '''    for name, shape in table.items():
        if name in arrays and np.shape(arrays[name]) != shape:
            return False
    return None
'''),
        Mistake("names only the numeric shape", _CHECK_HEAD + '''    for name, shape in table.items():
        if name in arrays and np.shape(arrays[name]) != shape:
            raise ValueError(f"{name} should have shape {shape}, but has shape {np.shape(arrays[name])}")
'''),
        Mistake("no symbolic shape", _CHECK_HEAD + '''    for name, shape in table.items():
        if name in arrays and np.shape(arrays[name]) != shape:
            l = int(name.lstrip("dWbZA"))
            raise ValueError(f"{name} (layer {l}) should have shape {shape}, but has shape {np.shape(arrays[name])}")
'''),
        Mistake("reports the last wrong array", _CHECK_HEAD + '''    problem = None
    for name, shape in table.items():
        if name in arrays and np.shape(arrays[name]) != shape:
''' + _symbolic() + '''            problem = f"{name} (layer {l}) should have shape (n[{l}], {second}) = {shape}, but has shape {np.shape(arrays[name])}"
    if problem:
        raise ValueError(problem)
'''),
        Mistake("checks in the dict's order", '''def check_shapes(arrays, layer_dims, m):
    table = expected_shapes(layer_dims, m)
    for name in arrays:
        if name in table and np.shape(arrays[name]) != table[name]:
''' + _symbolic() + '''            raise ValueError(f"{name} (layer {l}) should have shape (n[{l}], {second}) = {table[name]}, "
                             f"but has shape {np.shape(arrays[name])}")
'''),
        Mistake("checks in alphabetical order", '''def check_shapes(arrays, layer_dims, m):
    table = expected_shapes(layer_dims, m)
    for name in sorted(arrays):
        if name in table and np.shape(arrays[name]) != table[name]:
''' + _symbolic() + '''            raise ValueError(f"{name} (layer {l}) should have shape (n[{l}], {second}) = {table[name]}, "
                             f"but has shape {np.shape(arrays[name])}")
'''),
        Mistake("raises AssertionError (assert)", _CHECK_HEAD + '''    for name, shape in table.items():
        if name in arrays:
''' + _symbolic() + '''            assert np.shape(arrays[name]) == shape, (
                f"{name} (layer {l}) should have shape (n[{l}], {second}) = {shape}, but has shape {np.shape(arrays[name])}")
'''),
        Mistake("raises TypeError", _CHECK_HEAD + '''    for name, shape in table.items():
        if name in arrays and np.shape(arrays[name]) != shape:
''' + _symbolic() + '''            raise TypeError(f"{name} (layer {l}) should have shape (n[{l}], {second}) = {shape}, "
                            f"but has shape {np.shape(arrays[name])}")
'''),
        Mistake("needs every key (KeyError on a partial dict)", _CHECK_HEAD + '''    for name, shape in table.items():
        if np.shape(arrays[name]) != shape:
''' + _symbolic() + '''            raise ValueError(f"{name} (layer {l}) should have shape (n[{l}], {second}) = {shape}, "
                             f"but has shape {np.shape(arrays[name])}")
'''),
        Mistake("compares sizes, so (n,) passes for (n, 1)", _CHECK_HEAD + '''    for name, shape in table.items():
        if name in arrays and np.size(arrays[name]) != int(np.prod(shape)):
''' + _symbolic() + '''            raise ValueError(f"{name} (layer {l}) should have shape (n[{l}], {second}) = {shape}, "
                             f"but has shape {np.shape(arrays[name])}")
'''),
        Mistake("symbolic shape of W written (n[l], m)", _CHECK_HEAD + '''    for name, shape in table.items():
        if name in arrays and np.shape(arrays[name]) != shape:
            kind = name.rstrip("0123456789")
            l = int(name[len(kind):])
            second = "1" if kind.lstrip("d") == "b" else "m"
            raise ValueError(f"{name} (layer {l}) should have shape (n[{l}], {second}) = {shape}, "
                             f"but has shape {np.shape(arrays[name])}")
'''),
        Mistake("calls bpkit's reference", '''def check_shapes(arrays, layer_dims, m):
    import bpkit.shapes
    bpkit.shapes.check_shapes(arrays, layer_dims, m)
'''),
    ],
    "fixed_forward": [
        Mistake("fixes only the bias (output still A.T @ W.T)",
                _forward('params[f"b{l}"]', "W @ A + b", "A.T @ W.T + b")),
        Mistake("fixes only the output (bias still squeezed)",
                _forward('np.squeeze(params[f"b{l}"])', "W @ A + b", "W @ A + b")),
        Mistake("transposes the output afterwards (works for one output unit only)",
                _forward('params[f"b{l}"]', "W @ A + b", "(A.T @ W.T + b).T")),
        Mistake("removes the bias", _forward('params[f"b{l}"]', "W @ A", "W @ A")),
        Mistake("bias reshaped to a row (1, n[l])",
                _forward('params[f"b{l}"].reshape(1, -1)', "W @ A + b", "W @ A + b")),
        Mistake("sigmoid everywhere",
                _forward('params[f"b{l}"]', "W @ A + b", "W @ A + b", hidden_act="sigmoid(Z)")),
        Mistake("written for exactly two layers", '''def fixed_forward(X, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    Z1 = W1 @ X + b1
    A1 = relu(Z1)
    Z2 = W2 @ A1 + b2
    A2 = sigmoid(Z2)
    return A2, {"W1": W1, "b1": b1, "Z1": Z1, "A1": A1, "W2": W2, "b2": b2, "Z2": Z2, "A2": A2}
'''),
        Mistake("calls bpkit's model_forward", '''def fixed_forward(X, params):
    AL, caches = model_forward(X, params)
    cache = {}
    for l, ((A_prev, W, b), Z) in enumerate(caches, start=1):
        cache.update({f"W{l}": W, f"b{l}": b, f"Z{l}": Z})
        cache[f"A{l}"] = caches[l][0][0] if l < len(caches) else AL
    return AL, cache
'''),
    ],
}
