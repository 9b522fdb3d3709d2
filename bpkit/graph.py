"""Computation-graph nodes: the multiply and add gates, and the apple-shopping example.

A node's ``forward(x, y)`` computes its output and keeps what its backward pass
will need; ``backward(dout)`` takes the gradient of the final output with
respect to the node's output (the upstream gradient) and returns the gradients
with respect to its two inputs, ``(dx, dy)``. The values may be numbers or
numpy arrays of one shape (elementwise gates).

- Addition passes the upstream gradient through unchanged: ``(dout, dout)``.
- Multiplication multiplies it by the *other* input: ``(dout * y, dout * x)``,
  which is why a multiply node must remember its forward inputs.

The apple example: 2 apples at 100 each with a tax factor of 1.1 cost 220;
d total / d price = 2.2, d total / d count = 110, d total / d tax = 200.
"""

from __future__ import annotations

from typing import Any

Value = Any  # a number or a numpy array

APPLE_EXAMPLE = {"apple_price": 100.0, "apple_count": 2.0, "tax": 1.1}
"""The inputs of the textbook example (total 220)."""


class MulNode:
    """out = x * y; backward returns (dout * y, dout * x)."""

    def __init__(self) -> None:
        self.x: Value = None
        self.y: Value = None

    def forward(self, x: Value, y: Value) -> Value:
        self.x, self.y = x, y
        return x * y

    def backward(self, dout: Value) -> tuple[Value, Value]:
        if self.x is None or self.y is None:
            raise RuntimeError("MulNode.backward called before forward: the node has no inputs to use")
        return dout * self.y, dout * self.x


class AddNode:
    """out = x + y; backward returns (dout, dout)."""

    def forward(self, x: Value, y: Value) -> Value:
        return x + y

    def backward(self, dout: Value) -> tuple[Value, Value]:
        return dout * 1, dout * 1


def apple_graph(apple_price: Value, apple_count: Value, tax: Value) -> tuple[Value, dict[str, Value]]:
    """total = (apple_price * apple_count) * tax, and its gradient with respect to each input.

    Returns ``(total, grads)`` with grads keyed "apple_price", "apple_count", "tax",
    computed by a backward pass through two multiply nodes starting from d total = 1.
    """
    mul_apple, mul_tax = MulNode(), MulNode()
    apples = mul_apple.forward(apple_price, apple_count)
    total = mul_tax.forward(apples, tax)
    d_apples, d_tax = mul_tax.backward(1.0)
    d_price, d_count = mul_apple.backward(d_apples)
    return total, {"apple_price": d_price, "apple_count": d_count, "tax": d_tax}


def apple_drawing(
    apple_price: float = 100.0, apple_count: float = 2.0, tax: float = 1.1, backward: bool = True
) -> tuple[list[tuple[str, str, tuple[float, float]]], list[tuple[str, str, float | None, float | None]]]:
    """``(nodes, edges)`` of the apple graph for ``bpkit.plots.draw_computation_graph``.

    Forward values go on every edge; gradients only when ``backward`` is True.
    Values are rounded to 10 significant digits so 2.2 prints as 2.2.
    """
    total, grads = apple_graph(apple_price, apple_count, tax)
    apples = apple_price * apple_count

    def g(value: float) -> float | None:
        return float(f"{value:.10g}") if backward else None

    nodes = [
        ("price", "apple price", (0.0, 1.5)),
        ("count", "apple count", (0.0, -0.5)),
        ("tax", "tax", (4.2, -1.0)),  # straight below its gate: its labels stay clear of the (1.1) above
        ("mul1", "×", (2.0, 0.5)),
        ("mul2", "×", (4.2, 0.5)),
        ("total", "total", (5.8, 0.5)),
    ]
    edges = [
        ("price", "mul1", apple_price, g(grads["apple_price"])),
        ("count", "mul1", apple_count, g(grads["apple_count"])),
        ("mul1", "mul2", apples, g(1.0 * tax)),
        ("tax", "mul2", tax, g(grads["tax"])),
        ("mul2", "total", float(f"{total:.10g}"), g(1.0)),
    ]
    return nodes, edges
