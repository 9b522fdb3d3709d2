"""bpkit.graph: the gates' backward passes agree with central differences; the apple example's numbers."""

import numpy as np
import pytest

from bpkit.graph import APPLE_EXAMPLE, AddNode, MulNode, apple_drawing, apple_graph

H = 1e-6


def test_apple_example_numbers():
    total, grads = apple_graph(**APPLE_EXAMPLE)
    assert total == pytest.approx(220)
    assert grads["apple_price"] == pytest.approx(2.2)
    assert grads["apple_count"] == pytest.approx(110)
    assert grads["tax"] == pytest.approx(200)


def test_mul_multiplies_by_the_other_input():
    node = MulNode()
    assert node.forward(10.0, 5.0) == 50.0
    assert node.backward(1.3) == pytest.approx((6.5, 13.0))


def test_add_passes_the_gradient_through():
    node = AddNode()
    assert node.forward(10.0, 5.0) == 15.0
    assert node.backward(1.3) == (1.3, 1.3)


def test_mul_backward_before_forward_says_so():
    with pytest.raises(RuntimeError, match="before forward"):
        MulNode().backward(1.0)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("node_class", [MulNode, AddNode])
def test_gates_agree_with_central_differences(seed, node_class):
    rng = np.random.default_rng(seed)
    x, y, dout = rng.normal(size=(3, 4, 5))
    node = node_class()
    node.forward(x, y)
    dx, dy = node.backward(dout)

    def f(a, b):  # sum(dout * out): its gradient is (dx, dy)
        return np.sum(dout * node_class().forward(a, b))

    num_dx, num_dy = np.zeros_like(x), np.zeros_like(y)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = H
        num_dx[i] = (f(x + e, y) - f(x - e, y)) / (2 * H)
        num_dy[i] = (f(x, y + e) - f(x, y - e)) / (2 * H)
    np.testing.assert_allclose(dx, num_dx, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(dy, num_dy, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("inputs", [(100.0, 2.0, 1.1), (150.0, 3.0, 1.08), (-2.0, 7.5, 0.5)])
def test_apple_gradients_agree_with_central_differences(inputs):
    _, grads = apple_graph(*inputs)
    names = ["apple_price", "apple_count", "tax"]
    for k, name in enumerate(names):
        plus, minus = list(inputs), list(inputs)
        plus[k] += H
        minus[k] -= H
        numeric = (apple_graph(*plus)[0] - apple_graph(*minus)[0]) / (2 * H)
        assert grads[name] == pytest.approx(numeric, rel=1e-6)


def test_apple_drawing_has_forward_values_and_optional_gradients():
    nodes, edges = apple_drawing()
    names = {name for name, _, _ in nodes}
    assert all(src in names and dst in names for src, dst, _, _ in edges)
    values = {(src, dst): (fwd, grad) for src, dst, fwd, grad in edges}
    assert values[("price", "mul1")] == (100.0, 2.2)
    assert values[("count", "mul1")] == (2.0, 110.0)
    assert values[("tax", "mul2")] == (1.1, 200.0)
    assert values[("mul2", "total")] == (220.0, 1.0)
    _, forward_only = apple_drawing(backward=False)
    assert all(grad is None for _, _, _, grad in forward_only)


def test_apple_drawing_labels_do_not_overlap():
    """As notebook 05 draws it (8 x 3 inches), no value or gradient label comes close to another label or a node."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from bpkit.plots import draw_computation_graph

    nodes, edges = apple_drawing()
    fig = Figure(figsize=(8, 3))
    ax = draw_computation_graph(nodes, edges, ax=fig.add_subplot())
    renderer = FigureCanvasAgg(fig).get_renderer()
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in ax.texts if t.get_text()]
    gap = 4  # pixels at 100 dpi: labels closer than this read as one
    touching = [
        (a, b)
        for i, (a, box_a) in enumerate(boxes)
        for b, box_b in boxes[i + 1 :]
        if box_a.padded(gap / 2).overlaps(box_b.padded(gap / 2))
    ]
    assert not touching
