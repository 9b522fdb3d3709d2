"""Pictures for the notebooks, drawn with matplotlib's object API.

Every plotting function takes an optional ``ax`` (or ``fig``) and returns what it
drew on, so pictures compose. Without one it makes a new pyplot figure, which
Jupyter shows inline; code that must not touch pyplot's global state (widgets,
``LiveCostPlot``) passes the Axes of a ``matplotlib.figure.Figure`` and renders
it with ``figure_png``. Nothing here calls ``plt.show``.

Data follow the course's convention: one example per column, ``X`` of shape
``(2, m)`` and labels ``Y`` of shape ``(1, m)``.
"""

from __future__ import annotations

import io
import math
import time
from collections.abc import Callable, Mapping, Sequence
from types import TracebackType

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.float64]

Z_RANGE = np.linspace(-6, 6, 400)
"""Default inputs for activation curves."""

CLASS_CMAP = "coolwarm"
PATH_COLOR = "tab:orange"
GRADIENT_COLOR = "tab:red"


def _new_figure(figsize: tuple[float, float]) -> Figure:
    """A new pyplot figure, so that Jupyter shows it below the cell."""
    import matplotlib.pyplot as plt  # only here: drawing onto a given Axes never touches pyplot

    return plt.figure(figsize=figsize)


def _new_axes(figsize: tuple[float, float] = (5.0, 3.5)) -> Axes:
    return _new_figure(figsize).add_subplot()


def plot_functions(
    functions: Mapping[str, Callable[[Array], ArrayLike]], z: ArrayLike = Z_RANGE, ax: Axes | None = None
) -> Axes:
    """One labelled curve per function over ``z``, e.g. the activation functions and their derivatives."""
    ax = ax or _new_axes()
    z = np.asarray(z, dtype=float)
    for name, function in functions.items():
        ax.plot(z, np.asarray(function(z), dtype=float), label=name)
    ax.axhline(0, color="0.85", linewidth=0.8, zorder=0)
    ax.axvline(0, color="0.85", linewidth=0.8, zorder=0)
    ax.set_xlabel("z")
    ax.legend()
    return ax


def plot_cost(
    costs: ArrayLike, ax: Axes | None = None, label: str | None = None, xlabel: str = "iteration", log: bool = False
) -> Axes:
    """Cost against iteration; ``log=True`` puts the cost on a log axis (non-positive values are left out)."""
    ax = ax or _new_axes()
    costs = np.asarray(costs, dtype=float)
    ax.plot(np.arange(costs.size), costs, label=label)
    if log:
        ax.set_yscale("log", nonpositive="mask")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("cost J")
    if label is not None:
        ax.legend()
    return ax


def plot_classes(X: ArrayLike, Y: ArrayLike, ax: Axes | None = None) -> Axes:
    """Scatter the columns of ``X`` (2, m), coloured by their labels ``Y`` (1, m)."""
    ax = ax or _new_axes()
    X = np.asarray(X, dtype=float)
    labels = np.asarray(Y, dtype=float).ravel()
    ax.scatter(X[0], X[1], c=labels, cmap=CLASS_CMAP, vmin=labels.min(), vmax=labels.max(), edgecolors="k", zorder=3)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    return ax


def _padded_range(values: Array, padding: float) -> tuple[float, float]:
    return float(values.min() - padding), float(values.max() + padding)


def plot_decision_boundary(
    predict_fn: Callable[[Array], ArrayLike],
    X: ArrayLike,
    Y: ArrayLike,
    ax: Axes | None = None,
    resolution: int = 200,
    padding: float = 0.5,
) -> Axes:
    """Filled contours of ``predict_fn`` over a grid around the data, with the data on top.

    ``predict_fn`` maps grid points as columns, shape (2, k), to labels or
    probabilities of shape (1, k): the boundary is where the colour changes.
    """
    ax = ax or _new_axes()
    X = np.asarray(X, dtype=float)
    labels = np.asarray(Y, dtype=float).ravel()
    x1, x2 = np.meshgrid(
        np.linspace(*_padded_range(X[0], padding), resolution), np.linspace(*_padded_range(X[1], padding), resolution)
    )
    grid = np.vstack([x1.ravel(), x2.ravel()])
    values = np.asarray(predict_fn(grid), dtype=float).reshape(x1.shape)
    ax.contourf(x1, x2, values, cmap=CLASS_CMAP, vmin=labels.min(), vmax=labels.max(), alpha=0.35)
    return plot_classes(X, Y, ax=ax)


def plot_decision_line(w: ArrayLike, b: float, X: ArrayLike, Y: ArrayLike, ax: Axes | None = None) -> Axes:
    """The line w1 x1 + w2 x2 + b = 0 where a single neuron switches, over the labelled points.

    The line is solved for whichever coordinate has the larger weight, so
    vertical and horizontal lines both work.
    """
    ax = ax or _new_axes()
    w1, w2 = np.asarray(w, dtype=float).ravel()
    if w1 == 0 and w2 == 0:
        raise ValueError("w = 0: the neuron's output does not depend on x, so there is no line to draw")
    X = np.asarray(X, dtype=float)
    xlim, ylim = _padded_range(X[0], 0.5), _padded_range(X[1], 0.5)
    if abs(w2) >= abs(w1):
        x1 = np.array(xlim)
        x2 = -(w1 * x1 + b) / w2
    else:
        x2 = np.array(ylim)
        x1 = -(w2 * x2 + b) / w1
    ax.plot(x1, x2, color="k", label="$w^T x + b = 0$")
    plot_classes(X, Y, ax=ax)
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    ax.legend(loc="upper right", fontsize="small")
    return ax


def _visible_length(points: Array, bounds: Array) -> int:
    """How many leading points of a path to draw: stop before the first non-finite one, and
    just after the first one outside the window ``bounds`` (its arrow shows the path leaving)."""
    finite = np.isfinite(points).all(axis=1)
    n = len(points) if finite.all() else int(np.argmin(finite))
    outside = ((points[:n] < bounds[0]) | (points[:n] > bounds[1])).any(axis=1)
    return n if not outside.any() else int(np.argmax(outside)) + 1


def _window(points: Array) -> Array:
    """Bounds [lower corner, upper corner] of the finite points, padded by 10% (at least 0.5)."""
    finite = points[np.isfinite(points).all(axis=1)]
    lower, upper = finite.min(axis=0), finite.max(axis=0)
    pad = np.maximum(0.1 * (upper - lower), 0.5)
    return np.array([lower - pad, upper + pad])


def _draw_path(ax: Axes, points: Array) -> None:
    """Points joined by arrows, one per step."""
    x, y = points[:, 0], points[:, 1]
    ax.plot(x, y, "o", color=PATH_COLOR, markersize=4, label="path", zorder=4)
    if len(points) > 1:
        ax.quiver(
            x[:-1],
            y[:-1],
            np.diff(x),
            np.diff(y),
            angles="xy",
            scale_units="xy",
            scale=1,
            color=PATH_COLOR,
            zorder=4,
            width=0.004,
            headwidth=5,
            headlength=7,
            headaxislength=6,
        )


def plot_trajectory_1d(
    f: Callable[[Array], ArrayLike],
    path: ArrayLike,
    ax: Axes | None = None,
    xlim: tuple[float, float] | None = None,
) -> Axes:
    """The curve f with the gradient-descent path x0, x1, ... on it, each step an arrow.

    A path that blows up is cut before its first non-finite point (x or f(x)),
    and, when ``xlim`` is given, just after it first leaves that window.
    """
    ax = ax or _new_axes()
    xs = np.asarray(path, dtype=float).ravel()
    with np.errstate(over="ignore", invalid="ignore"):  # a diverging path overflows f
        points = np.column_stack([xs, np.asarray(f(xs), dtype=float)])
    xlim = xlim or tuple(_window(points)[:, 0])
    curve_x = np.linspace(*xlim, 300)
    curve_y = np.asarray(f(curve_x), dtype=float)
    ax.plot(curve_x, curve_y, color="tab:blue", label="f(x)")
    _draw_path(ax, points[: _visible_length(points, np.array([[xlim[0], -np.inf], [xlim[1], np.inf]]))])
    ax.set_xlim(xlim)
    pad = 0.05 * (curve_y.max() - curve_y.min()) or 0.5
    ax.set_ylim(curve_y.min() - pad, curve_y.max() + pad)
    ax.set_xlabel("x")
    ax.set_ylabel("f(x)")
    return ax


def plot_trajectory_2d(
    f: Callable[[Array, Array], ArrayLike],
    path: ArrayLike,
    ax: Axes | None = None,
    levels: int | Sequence[float] = 15,
    xlim: tuple[float, float] | None = None,
    ylim: tuple[float, float] | None = None,
) -> Axes:
    """Contour lines of f(x, y) with the path (rows (x_k, y_k)) drawn as arrows.

    The window is ``xlim`` by ``ylim``, or the finite part of the path, padded;
    the path is cut as in ``plot_trajectory_1d``.
    """
    ax = ax or _new_axes()
    points = np.asarray(path, dtype=float).reshape(-1, 2)
    bounds = _window(points)
    if xlim is not None:
        bounds[:, 0] = xlim
    if ylim is not None:
        bounds[:, 1] = ylim
    gx, gy = np.meshgrid(np.linspace(*bounds[:, 0], 120), np.linspace(*bounds[:, 1], 120))
    ax.contour(gx, gy, np.asarray(f(gx, gy), dtype=float), levels=levels, cmap="viridis", linewidths=0.8)
    _draw_path(ax, points[: _visible_length(points, bounds)])
    ax.set_xlim(bounds[:, 0])
    ax.set_ylim(bounds[:, 1])
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    return ax


def _value_text(value: float | str) -> str:
    return value if isinstance(value, str) else f"{value:g}"


def draw_computation_graph(
    nodes: Sequence[tuple[str, str, tuple[float, float]]],
    edges: Sequence[tuple[str, str, float | str | None, float | str | None]],
    ax: Axes | None = None,
) -> Axes:
    """A computation graph: boxed nodes, one arrow per edge, forward values and gradients on the edges.

    ``nodes``: (name, label, (x, y)); ``edges``: (src, dst, forward_value, gradient).
    The forward value is written above the edge in black, the gradient below it
    in red and in parentheses (left and right of a vertical edge); ``None``
    leaves a value out, e.g. to show the forward pass before the backward one.
    """
    ax = ax or _new_axes((7.0, 3.0))
    boxes: dict[str, tuple[tuple[float, float], Patch]] = {}
    for name, label, (x, y) in nodes:
        text = ax.text(
            x,
            y,
            label,
            ha="center",
            va="center",
            zorder=3,
            bbox=dict(boxstyle="round,pad=0.4", facecolor="white", edgecolor="0.3"),
        )
        boxes[name] = ((x, y), text.get_bbox_patch())
    for src, dst, forward, gradient in edges:
        (start, patch_a), (end, patch_b) = boxes[src], boxes[dst]
        ax.annotate(
            "",
            xy=end,
            xytext=start,
            arrowprops=dict(arrowstyle="-|>", color="0.3", patchA=patch_a, patchB=patch_b, shrinkA=2, shrinkB=2),
        )
        middle = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
        horizontal = abs(end[0] - start[0]) >= abs(end[1] - start[1])
        for value, color, side in ((forward, "black", 1), (gradient, GRADIENT_COLOR, -1)):
            if value is None:
                continue
            label = _value_text(value) if color == "black" else f"({_value_text(value)})"
            offset = (0, 5 * side) if horizontal else (-5 * side, 0)
            ax.annotate(
                label,
                xy=middle,
                xytext=offset,
                textcoords="offset points",
                color=color,
                ha="center" if horizontal else ("right" if side > 0 else "left"),
                va=("bottom" if side > 0 else "top") if horizontal else "center",
            )
    xs = [x for _, _, (x, _) in nodes]
    ys = [y for _, _, (_, y) in nodes]
    ax.set_xlim(min(xs) - 0.7, max(xs) + 0.7)
    ax.set_ylim(min(ys) - 0.7, max(ys) + 0.7)
    ax.set_axis_off()
    return ax


_DIGIT_CELL = (0.9, 1.05)
"""Inches of figure per digit that show_digits draws: its width, and its height with the title."""


def show_digits(
    X: ArrayLike,
    labels: ArrayLike,
    predictions: ArrayLike | None = None,
    n: int = 20,
    shape: tuple[int, int] = (8, 8),
    ncols: int = 10,
    fig: Figure | None = None,
) -> Figure:
    """The first ``n`` columns of ``X`` as small images titled with their label.

    With ``predictions`` each title reads "label→prediction", in red where they differ.
    To look at the mistakes, pass only the misclassified columns. The images share one Axes (one set of
    axes per image would cost far more to build and draw than the images themselves).
    """
    X = np.asarray(X)
    labels = np.asarray(labels).ravel()
    guesses = None if predictions is None else np.asarray(predictions).ravel()
    n = min(n, X.shape[1])
    ncols = min(ncols, n)
    nrows = math.ceil(n / ncols)
    fig = fig or _new_figure((_DIGIT_CELL[0] * ncols, _DIGIT_CELL[1] * nrows))
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    height, width = shape
    pitch_x = 1.4 * width  # each image with the space beside it and, below, the space above the next row's titles
    pitch_y = pitch_x * _DIGIT_CELL[1] / _DIGIT_CELL[0]
    for k in range(n):
        left, top = (k % ncols) * pitch_x + 0.2 * width, (k // ncols) * pitch_y + (pitch_y - height) * 0.75
        ax.imshow(X[:, k].reshape(shape), cmap="gray_r", extent=(left, left + width, top + height, top))
        if guesses is None:
            title, color = f"{labels[k]}", "black"
        else:
            title, color = f"{labels[k]}→{guesses[k]}", "red" if guesses[k] != labels[k] else "black"
        ax.text(left + width / 2, top - 0.6, title, fontsize=9, color=color, ha="center", va="bottom")
    ax.set_xlim(0, ncols * pitch_x)
    ax.set_ylim(nrows * pitch_y, 0)
    ax.set_axis_off()
    return fig


def figure_png(fig: Figure, dpi: float | None = None) -> bytes:
    """The figure rendered to PNG bytes by the Agg backend (whatever the pyplot backend is)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def images_shown() -> bool:
    """False where this IPython shows no PNG images: grading switches them off
    (autograder.grading.agent.skip_figures), and a picture drawn only to be shown is then not drawn."""
    from IPython import get_ipython

    shell = get_ipython()
    return shell is None or shell.display_formatter.formatters["image/png"].enabled


def _in_kernel() -> bool:
    """True inside a Jupyter kernel, where ``display`` can update an output in place."""
    from IPython import get_ipython

    return getattr(get_ipython(), "kernel", None) is not None


class LiveCostPlot:
    """A cost curve that redraws in place while a network trains.

    ``live.update(epoch, cost)`` fits ``bpkit.network.train``'s ``callback``; it
    redraws at most every ``interval`` seconds, and ``finish()`` (or leaving a
    ``with`` block) draws the final state. In Jupyter the picture is one output
    that is replaced, never a stack of figures; elsewhere ``fig`` is kept up to
    date and nothing is displayed.
    """

    def __init__(self, title: str = "training cost", interval: float = 0.2, log: bool = False) -> None:
        self.title = title
        self.interval = interval
        self.epochs: list[int] = []
        self.costs: list[float] = []
        self.fig = Figure(figsize=(5.0, 3.0), dpi=80)
        self.ax = self.fig.add_subplot()
        (self.line,) = self.ax.plot([], [])
        self.ax.set_xlabel("epoch")
        self.ax.set_ylabel("cost J")
        self.fig.subplots_adjust(left=0.16, bottom=0.17, right=0.96, top=0.88)
        if log:
            self.ax.set_yscale("log")
        self._last_draw = -math.inf
        self._handle = None

    def update(self, epoch: int, cost: float) -> None:
        """Record one epoch's cost; redraw if the last redraw is older than ``interval``."""
        self.epochs.append(epoch)
        self.costs.append(cost)
        if time.monotonic() - self._last_draw >= self.interval:
            self.draw()

    def draw(self) -> None:
        """Redraw the curve with everything recorded so far, and show it if in a kernel.

        The interval counts from the end of a redraw, so a slow redraw never makes every epoch redraw.
        """
        self.line.set_data(self.epochs, self.costs)
        self.ax.relim()
        self.ax.autoscale_view()
        if self.costs:
            self.ax.set_title(f"{self.title}: epoch {self.epochs[-1]}, cost {self.costs[-1]:.4g}")
        if _in_kernel() and images_shown():
            self._show()
        self._last_draw = time.monotonic()

    def _show(self) -> None:
        from IPython.display import Image, display

        image = Image(data=figure_png(self.fig))
        if self._handle is None:
            self._handle = display(image, display_id=True)
        else:
            self._handle.update(image)

    def finish(self) -> None:
        """Final redraw, so the last epoch is always shown."""
        self.draw()

    close = finish

    def __enter__(self) -> LiveCostPlot:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.finish()
