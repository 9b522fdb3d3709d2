"""Tests for bpkit.plots: each picture has the artists a learner is meant to see."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import PathCollection
from matplotlib.contour import ContourSet
from matplotlib.figure import Figure
from matplotlib.quiver import Quiver

from bpkit import plots
from bpkit.activations import relu, sigmoid
from bpkit.network import train

REPO = Path(__file__).resolve().parents[1]
XOR_X = np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]])
XOR_Y = np.array([[0.0, 1.0, 1.0, 0.0]])


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def new_ax():
    return Figure().add_subplot()


def line_labelled(ax, label):
    (line,) = [line for line in ax.get_lines() if line.get_label() == label]
    return line


def test_import_bpkit_loads_neither_matplotlib_nor_pyplot_until_asked():
    code = (
        "import sys, bpkit; print('matplotlib' in sys.modules); "
        "import bpkit.plots; print('matplotlib.pyplot' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False"]


def test_plot_functions_draws_one_labelled_curve_per_function():
    z = np.linspace(-3, 3, 50)
    ax = plots.plot_functions({"sigmoid": sigmoid, "relu": relu}, z=z, ax=new_ax())
    np.testing.assert_allclose(line_labelled(ax, "sigmoid").get_ydata(), sigmoid(z))
    np.testing.assert_allclose(line_labelled(ax, "relu").get_ydata(), relu(z))
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["sigmoid", "relu"]


def test_plot_functions_without_ax_makes_a_pyplot_figure_for_jupyter():
    ax = plots.plot_functions({"sigmoid": sigmoid})
    assert plt.fignum_exists(ax.figure.number)
    assert line_labelled(ax, "sigmoid").get_xdata().size == plots.Z_RANGE.size


def test_plot_cost_plots_every_cost_and_can_use_a_log_axis():
    costs = [0.7, 0.5, 0.2, 0.05]
    ax = plots.plot_cost(costs, ax=new_ax(), label="lr 0.1", xlabel="epoch", log=True)
    line = line_labelled(ax, "lr 0.1")
    np.testing.assert_allclose(line.get_ydata(), costs)
    np.testing.assert_array_equal(line.get_xdata(), np.arange(4))
    assert ax.get_yscale() == "log"
    assert ax.get_xlabel() == "epoch"
    assert plots.plot_cost(costs, ax=new_ax()).get_yscale() == "linear"


def test_plot_decision_boundary_fills_the_grid_and_shows_every_point():
    seen = []

    def predict_fn(grid):
        seen.append(grid.shape)
        return (grid[0] > 0.5).astype(float).reshape(1, -1)

    ax = plots.plot_decision_boundary(predict_fn, XOR_X, XOR_Y, ax=new_ax(), resolution=30)
    assert seen == [(2, 30 * 30)]
    assert any(isinstance(c, ContourSet) and c.filled for c in ax.collections)
    (points,) = [c for c in ax.collections if isinstance(c, PathCollection)]
    np.testing.assert_array_equal(points.get_offsets(), XOR_X.T)
    np.testing.assert_array_equal(points.get_array(), XOR_Y.ravel())


@pytest.mark.parametrize("w, b", [((1.0, 1.0), -1.5), ((1.0, 1.0), -0.5), ((2.0, 0.0), -1.0), ((0.0, -1.0), 0.5)])
def test_plot_decision_line_lies_on_w_dot_x_plus_b_equal_zero(w, b):
    ax = plots.plot_decision_line(np.array(w).reshape(2, 1), b, XOR_X, XOR_Y, ax=new_ax())
    (line,) = [line for line in ax.get_lines() if "= 0" in line.get_label()]
    x1, x2 = line.get_xdata(), line.get_ydata()
    np.testing.assert_allclose(w[0] * x1 + w[1] * x2 + b, 0, atol=1e-12)
    assert len([c for c in ax.collections if isinstance(c, PathCollection)]) == 1


def test_plot_decision_line_refuses_zero_weights():
    with pytest.raises(ValueError, match="no line"):
        plots.plot_decision_line([0, 0], 1.0, XOR_X, XOR_Y, ax=new_ax())


def arrows(ax):
    (quiver,) = [c for c in ax.collections if isinstance(c, Quiver)]
    return quiver


def test_plot_trajectory_1d_cuts_the_path_where_it_stops_being_finite():
    path = np.array([3.0, -3.6, 4.32, np.inf, np.nan])
    ax = plots.plot_trajectory_1d(np.square, path, ax=new_ax())
    points = line_labelled(ax, "path")
    np.testing.assert_array_equal(points.get_xdata(), path[:3])
    np.testing.assert_array_equal(points.get_ydata(), path[:3] ** 2)
    assert arrows(ax).N == 2
    curve = line_labelled(ax, "f(x)")
    assert np.isfinite(curve.get_ydata()).all()
    assert ax.get_xlim()[1] < 10


def test_plot_trajectory_1d_cuts_where_f_overflows_and_after_leaving_the_window():
    ax = plots.plot_trajectory_1d(np.square, np.array([1.0, 1e200, 1e300]), ax=new_ax())
    assert line_labelled(ax, "path").get_xdata().tolist() == [1.0]
    ax = plots.plot_trajectory_1d(np.square, np.array([1.0, -2.0, 4.0, -8.0, 16.0]), ax=new_ax(), xlim=(-3, 3))
    assert line_labelled(ax, "path").get_xdata().tolist() == [1.0, -2.0, 4.0]
    assert ax.get_xlim() == (-3.0, 3.0)


def test_plot_trajectory_2d_draws_contours_and_the_finite_path():
    path = np.array([[-4.0, 2.0], [-3.0, -1.0], [-2.0, 0.5], [np.nan, np.nan]])
    ax = plots.plot_trajectory_2d(lambda x, y: x**2 + 10 * y**2, path, ax=new_ax(), levels=[1, 10, 50])
    (contours,) = [c for c in ax.collections if isinstance(c, ContourSet)]
    np.testing.assert_array_equal(contours.levels, [1, 10, 50])
    points = line_labelled(ax, "path")
    np.testing.assert_array_equal(np.column_stack(points.get_data()), path[:3])
    assert arrows(ax).N == 2


def apple_example():
    """The apple-shopping graph: 2 apples at 100 each, tax 1.1; values from the chain rule, not typed."""
    price, count, tax = 100, 2, 1.1
    subtotal = price * count
    nodes = [
        ("price", "apple price", (0, 1)),
        ("count", "apple count", (0, -1)),
        ("mul1", "×", (2, 0)),
        ("tax", "tax", (2, -2)),
        ("mul2", "×", (4, 0)),
        ("total", "total", (6, 0)),
    ]
    edges = [
        ("price", "mul1", price, count * tax),
        ("count", "mul1", count, price * tax),
        ("mul1", "mul2", subtotal, tax),
        ("tax", "mul2", tax, subtotal),
        ("mul2", "total", subtotal * tax, 1),
    ]
    return nodes, edges


def test_draw_computation_graph_writes_values_above_and_red_gradients_below():
    nodes, edges = apple_example()
    ax = plots.draw_computation_graph(nodes, edges, ax=new_ax())
    texts = {t.get_text(): t for t in ax.texts if t.get_text()}
    assert {"apple price", "apple count", "×", "tax", "total"} <= set(texts)
    for forward in ("100", "2", "200", "1.1", "220"):
        assert texts[forward].get_color() == "black"
    for gradient in ("(2.2)", "(110)", "(200)", "(1.1)", "(1)"):
        assert matplotlib.colors.same_color(texts[gradient].get_color(), plots.GRADIENT_COLOR)
    assert texts["220"].xyann[1] > 0 > texts["(1)"].xyann[1]  # horizontal edge: value above, gradient below
    drawn_arrows = [t for t in ax.texts if getattr(t, "arrow_patch", None) is not None]
    assert len(drawn_arrows) == len(edges)


def test_draw_computation_graph_can_leave_out_the_gradients():
    nodes, edges = apple_example()
    forward_only = [(src, dst, value, None) for src, dst, value, _ in edges]
    ax = plots.draw_computation_graph(nodes, forward_only, ax=new_ax())
    assert not [t for t in ax.texts if t.get_text().startswith("(")]


def test_show_digits_titles_mark_wrong_predictions_in_red():
    X = np.random.default_rng(0).random((64, 6))
    truth, predicted = np.array([[0, 1, 2, 3, 4, 5]]), np.array([[0, 1, 7, 3, 9, 5]])
    fig = plots.show_digits(X, truth, predicted, n=5, ncols=3, fig=Figure())
    (ax,) = fig.axes
    assert len(ax.images) == 5
    titles = [(text.get_text(), text.get_color()) for text in ax.texts]
    assert titles == [("0→0", "black"), ("1→1", "black"), ("2→7", "red"), ("3→3", "black"), ("4→9", "red")]
    np.testing.assert_array_equal(ax.images[2].get_array(), X[:, 2].reshape(8, 8))


def test_show_digits_lays_the_images_out_in_rows_each_below_its_title():
    fig = plots.show_digits(np.zeros((64, 5)), [7, 8, 9, 1, 2], ncols=3, fig=Figure())
    (ax,) = fig.axes
    assert [text.get_text() for text in ax.texts] == ["7", "8", "9", "1", "2"]
    boxes = [image.get_extent() for image in ax.images]  # (left, right, bottom, top), y growing downwards
    lefts, tops = [round(box[0], 6) for box in boxes], [round(box[3], 6) for box in boxes]
    assert lefts[:3] == sorted(set(lefts[:3])) and lefts[3:] == lefts[:2], "three columns, then a new row"
    assert tops[0] == tops[1] == tops[2] < tops[3] == tops[4]
    for text, (left, right, _, top) in zip(ax.texts, boxes, strict=True):
        x, y = text.get_position()
        assert left < x < right and y < top, "each title is centred above its image"
    right_edge, bottom_edge = max(box[1] for box in boxes), max(box[2] for box in boxes)
    x_limits, y_limits = ax.get_xlim(), ax.get_ylim()
    assert x_limits[1] >= right_edge and y_limits[0] >= bottom_edge, "every image is inside the picture"


def test_figure_png_returns_png_bytes():
    fig = Figure(figsize=(2, 1), dpi=50)
    fig.add_subplot().plot([0, 1])
    png = plots.figure_png(fig)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert png != plots.figure_png(Figure(figsize=(2, 1), dpi=50))


def test_live_cost_plot_outside_ipython_throttles_and_finish_draws_the_last_cost():
    live = plots.LiveCostPlot(title="XOR", interval=3600)
    for epoch, cost in enumerate([0.9, 0.7, 0.4, 0.123456]):
        live.update(epoch, cost)
    assert list(live.line.get_ydata()) == [0.9]  # the first update draws, the rest wait
    live.finish()
    assert list(live.line.get_ydata()) == [0.9, 0.7, 0.4, 0.123456]
    assert "epoch 3" in live.ax.get_title() and "0.1235" in live.ax.get_title()


def test_live_cost_plot_is_a_train_callback_and_a_context_manager():
    with plots.LiveCostPlot(interval=0) as live:
        _, costs = train(XOR_X, XOR_Y, [2, 3, 1], learning_rate=0.5, num_epochs=15, callback=live.update)
    np.testing.assert_allclose(live.line.get_ydata(), costs)
    np.testing.assert_array_equal(live.line.get_xdata(), np.arange(15))


def test_live_cost_plot_in_a_kernel_updates_one_output_in_place(monkeypatch):
    import IPython.display

    calls = []

    class Handle:
        def update(self, obj):
            calls.append(("update", obj))

    def display(obj, display_id=False):
        calls.append(("display", obj))
        assert display_id is True
        return Handle()

    monkeypatch.setattr(plots, "_in_kernel", lambda: True)
    monkeypatch.setattr(IPython.display, "display", display)
    live = plots.LiveCostPlot(interval=0)
    for epoch in range(3):
        live.update(epoch, 1.0 / (epoch + 1))
    live.close()
    assert [kind for kind, _ in calls] == ["display", "update", "update", "update"]
    assert all(obj.data.startswith(b"\x89PNG") for _, obj in calls)
