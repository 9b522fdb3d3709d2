"""Shape bookkeeping: expected shapes with symbolic names, and a checker that says what is wrong.

For layer sizes ``layer_dims = [n0, n1, ..., nL]`` and a batch of ``m`` examples:
``W[l]`` is ``(n[l], n[l-1])``, ``b[l]`` is ``(n[l], 1)``, ``Z[l]``/``A[l]`` are
``(n[l], m)``, and every gradient has the shape of what it differentiates.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

Shape = tuple[int, ...]

_KINDS = ("W", "b", "Z", "A", "dW", "db", "dZ", "dA")
_NAME = re.compile(r"^(dW|db|dZ|dA|W|b|Z|A)(\d+)$")


def _symbolic(kind: str, l: int) -> tuple[str, str]:
    base = kind.lstrip("d")
    return {
        "W": (f"n[{l}]", f"n[{l - 1}]"),
        "b": (f"n[{l}]", "1"),
        "Z": (f"n[{l}]", "m"),
        "A": (f"n[{l}]", "m"),
    }[base]


def _numeric(kind: str, l: int, layer_dims: Sequence[int], m: int) -> Shape:
    base = kind.lstrip("d")
    return {
        "W": (layer_dims[l], layer_dims[l - 1]),
        "b": (layer_dims[l], 1),
        "Z": (layer_dims[l], m),
        "A": (layer_dims[l], m),
    }[base]


def parse_name(name: str) -> tuple[str, int]:
    """'dW2' -> ('dW', 2). Raises ValueError for names outside the course's notation."""
    match = _NAME.match(name)
    if not match:
        raise ValueError(f"{name!r} is not a name like 'W1', 'b2', 'Z3', 'A1', 'dW2', 'db1'")
    return match.group(1), int(match.group(2))


def expected_shapes(layer_dims: Sequence[int], m: int) -> dict[str, Shape]:
    """{"W1": (n1, n0), "b1": (n1, 1), "Z1": (n1, m), "A1": ..., "dW1": ..., ...} for every layer."""
    return {f"{kind}{l}": _numeric(kind, l, layer_dims, m) for l in range(1, len(layer_dims)) for kind in _KINDS}


def symbolic_shape(name: str) -> str:
    """'Z2' -> '(n[2], m)', 'W1' -> '(n[1], n[0])', 'db3' -> '(n[3], 1)'."""
    kind, l = parse_name(name)
    return "({}, {})".format(*_symbolic(kind, l))


def symbolic_shapes(layer_dims: Sequence[int]) -> dict[str, str]:
    """Same keys as ``expected_shapes``, values like '(n[1], m)'."""
    return {f"{kind}{l}": symbolic_shape(f"{kind}{l}") for l in range(1, len(layer_dims)) for kind in _KINDS}


class ShapeTable:
    """Expected shapes of every array, symbolic and numeric; renders as text and as HTML."""

    def __init__(self, layer_dims: Sequence[int], m: int) -> None:
        self.layer_dims = list(layer_dims)
        self.m = m
        self.rows = [(name, symbolic_shape(name), shape) for name, shape in expected_shapes(layer_dims, m).items()]

    def __str__(self) -> str:
        header = f"layer sizes n = {self.layer_dims}, m = {self.m}"
        width = max(len(s) for _, s, _ in self.rows)
        lines = [header, f"{'array':<6} {'symbolic':<{width}}  numeric"]
        lines += [f"{name:<6} {sym:<{width}}  {shape}" for name, sym, shape in self.rows]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        cells = "".join(
            f"<tr><td><code>{name}</code></td><td><code>{sym}</code></td><td><code>{shape}</code></td></tr>"
            for name, sym, shape in self.rows
        )
        return (
            f"<table><caption>layer sizes n = {self.layer_dims}, m = {self.m}</caption>"
            "<tr><th>array</th><th>symbolic</th><th>numeric</th></tr>"
            f"{cells}</table>"
        )


def shape_table(layer_dims: Sequence[int], m: int) -> ShapeTable:
    """A readable table of expected shapes (shown as a table in Jupyter, as text in print)."""
    return ShapeTable(layer_dims, m)


def describe_shape_error(name: str, got: Any, layer_dims: Sequence[int], m: int) -> str | None:
    """A sentence saying how ``got`` differs from the shape ``name`` must have, or None if it fits."""
    kind, l = parse_name(name)
    if not 1 <= l < len(layer_dims):
        return f"{name}: there is no layer {l} in a network with layer sizes {list(layer_dims)}"
    expected = _numeric(kind, l, layer_dims, m)
    got_shape = np.shape(got)
    if got_shape == expected:
        return None
    message = f"{name} (layer {l}) should have shape {symbolic_shape(name)} = {expected}, but has shape {got_shape}"
    if got_shape == expected[::-1]:
        message += ": it looks transposed"
    elif len(got_shape) == 1 and got_shape[0] == expected[0]:
        message += f": a rank-1 array; reshape it to a column ({expected[0]}, 1)"
    return message


def check_shapes(arrays: Mapping[str, Any], layer_dims: Sequence[int], m: int) -> None:
    """Raise ValueError naming the first array (in layer order) whose shape is wrong.

    ``arrays`` maps names like "W1", "Z2", "dA1" to arrays. Names that are not in
    ``expected_shapes(layer_dims, m)`` ("X", "cache", "W9" in a 2-layer network) are
    ignored, as notebook 04's exercise asks. The message names the array, its layer,
    the symbolic shape it should have, the numeric one, and what it got.
    """
    for name in expected_shapes(layer_dims, m):
        if name in arrays:
            problem = describe_shape_error(name, arrays[name], layer_dims, m)
            if problem:
                raise ValueError(problem)
