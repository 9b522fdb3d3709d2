"""Typical wrong answers for 04-dimension-checks: each must lose points on its own test cell."""

from autograder.mistakes import Edit, edit, rewrite

_LAYER = 'layer = {"W": (n, n_prev), "b": (n, 1), "Z": (n, m), "A": (n, m)}'
_GRADIENT_KEYS = """        for kind, shape in layer.items():
            shapes[f"d{kind}{l}"] = shape   # a gradient has the shape of what it differentiates
"""
_SKIP_ABSENT = "        if name not in arrays:\n            continue\n"
_IN_LAYER_ORDER = "for name, expected in expected_shapes(layer_dims, m).items():   # layer order\n" + _SKIP_ABSENT
_RAISE = """raise ValueError(
            f"{name} (layer {l}) should have shape (n[{l}], {second}) = {expected}, but has shape {got}"
        )"""
_HIDDEN_B = 'b = params[f"b{l}"]            # fix 1: keep b a column (n[l], 1), no squeeze'
_OUTPUT_Z = "Z = W @ A + b                      # fix 2: (n[L], n[L-1]) @ (n[L-1], m), not A.T @ W.T"


def _checks_in(name: str, order: str) -> Edit:
    """A check_shapes that visits the names of ``arrays`` in ``order`` (an expression) instead of layer order."""
    return edit(
        name,
        _IN_LAYER_ORDER,
        f"""shapes = expected_shapes(layer_dims, m)
    for name in {order}:
        if name not in shapes:
            continue
        expected = shapes[name]
""",
    )


MISTAKES = {
    "expected_shapes": [
        edit("W transposed (n[l-1], n[l])", '"W": (n, n_prev)', '"W": (n_prev, n)'),
        edit("b rank-1 (n[l],)", '"b": (n, 1)', '"b": (n,)'),
        edit("b as a row (1, n[l])", '"b": (n, 1)', '"b": (1, n)'),
        edit("Z and A as (m, n[l])", '"Z": (n, m), "A": (n, m)', '"Z": (m, n), "A": (m, n)'),
        edit("shapes as lists", _LAYER, 'layer = {"W": [n, n_prev], "b": [n, 1], "Z": [n, m], "A": [n, m]}'),
        edit("forgets the gradient keys", _GRADIENT_KEYS, ""),
        edit("layers counted from 0", "range(1, len(layer_dims))", "range(len(layer_dims) - 1)").then(
            "int(layer_dims[l]), int(layer_dims[l - 1])", "int(layer_dims[l + 1]), int(layer_dims[l])"
        ),
        edit("stops at layer L-1", "range(1, len(layer_dims))", "range(1, len(layer_dims) - 1)"),
        edit("dW with the shape of Z", 'shapes[f"d{kind}{l}"] = shape', 'shapes[f"d{kind}{l}"] = (n, m)'),
        rewrite(
            "keys grouped by kind, not by layer",
            """def expected_shapes(layer_dims, m):
    shapes = {}
    for kind in ["W", "b", "Z", "A", "dW", "db", "dZ", "dA"]:
        for l in range(1, len(layer_dims)):
            n, n_prev = layer_dims[l], layer_dims[l - 1]
            shapes[f"{kind}{l}"] = {"W": (n, n_prev), "b": (n, 1), "Z": (n, m), "A": (n, m)}[kind.lstrip("d")]
    return shapes
""",
        ),
        edit(
            "hard-codes the visible answer",
            "    m = int(m)\n",
            "    layer_dims, m = ([4, 5, 3, 1], 8) if len(layer_dims) == 4 else ([2, 1], 1)\n",
        ),
        rewrite(
            "calls bpkit's reference",
            """def expected_shapes(layer_dims, m):
    import bpkit.shapes
    return bpkit.shapes.expected_shapes(layer_dims, m)
""",
        ),
    ],
    "check_shapes": [
        edit("returns False instead of raising", _RAISE, "return False"),
        edit(
            "names only the numeric shape",
            "{name} (layer {l}) should have shape (n[{l}], {second}) = {expected}",
            "{name} should have shape {expected}",
        ),
        edit("no symbolic shape", "(n[{l}], {second}) = {expected}", "{expected}"),
        edit("reports the last wrong array", "    symbolic_second = ", "    problem = None\n    symbolic_second = ")
        .then("raise ValueError(\n", "problem = ValueError(\n")
        .then("    return None", "    if problem:\n        raise problem\n    return None"),
        _checks_in("checks in the dict's order", "arrays"),
        _checks_in("checks in alphabetical order", "sorted(arrays)"),
        edit("raises AssertionError (assert)", "raise ValueError(\n", "assert got == expected, (\n"),
        edit("raises TypeError", "raise ValueError(\n", "raise TypeError(\n"),
        edit("needs every key (KeyError on a partial dict)", _SKIP_ABSENT, ""),
        edit(
            "compares sizes, so (n,) passes for (n, 1)",
            "if got == expected:",
            "if np.size(arrays[name]) == int(np.prod(expected)):",
        ),
        edit("symbolic shape of W written (n[l], m)", '{"W": "n[{prev}]",', '{"W": "m",'),
        rewrite(
            "calls bpkit's reference",
            """def check_shapes(arrays, layer_dims, m):
    import bpkit.shapes
    bpkit.shapes.check_shapes(arrays, layer_dims, m)
""",
        ),
    ],
    "fixed_forward": [
        edit("fixes only the bias (output still A.T @ W.T)", _OUTPUT_Z, "Z = A.T @ W.T + b"),
        edit("fixes only the output (bias still squeezed)", _HIDDEN_B, 'b = np.squeeze(params[f"b{l}"])'),
        edit("transposes the output afterwards (works for one output unit only)", _OUTPUT_Z, "Z = (A.T @ W.T + b).T"),
        edit("removes the bias", "        Z = W @ A + b\n", "        Z = W @ A\n").then(_OUTPUT_Z, "Z = W @ A"),
        edit("bias reshaped to a row (1, n[l])", _HIDDEN_B, 'b = params[f"b{l}"].reshape(1, -1)'),
        edit("sigmoid everywhere", "A = relu(Z)", "A = sigmoid(Z)"),
        rewrite(
            "written for exactly two layers",
            """def fixed_forward(X, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    Z1 = W1 @ X + b1
    A1 = relu(Z1)
    Z2 = W2 @ A1 + b2
    A2 = sigmoid(Z2)
    return A2, {"W1": W1, "b1": b1, "Z1": Z1, "A1": A1, "W2": W2, "b2": b2, "Z2": Z2, "A2": A2}
""",
        ),
        rewrite(
            "calls bpkit's model_forward",
            """def fixed_forward(X, params):
    AL, caches = model_forward(X, params)
    cache = {}
    for l, ((A_prev, W, b), Z) in enumerate(caches, start=1):
        cache.update({f"W{l}": W, f"b{l}": b, f"Z{l}": Z})
        cache[f"A{l}"] = caches[l][0][0] if l < len(caches) else AL
    return AL, cache
""",
        ),
    ],
}
