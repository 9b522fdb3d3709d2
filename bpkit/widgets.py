"""Interactive explorers for the notebooks: sliders, one picture and a sentence saying what happened.

Each explorer draws a ``matplotlib.figure.Figure`` (never pyplot, so nothing is
displayed behind its back) into PNG bytes shown by an ``ipywidgets.Image``
whose value is replaced on every change: one picture that updates, no flicker
and no stack of plots. The text sits in an ``ipywidgets.HTML`` called
``outcome``. An explorer shows itself when it is the last expression of a
cell, and works from plain Python too: set a slider's ``.value`` and read
``.outcome.value`` and ``.image.value``.

StepSizeExplorer (notebook 03): gradient descent on a curve, learning rate on a log slider.
BowlExplorer (notebook 03): the same on a 2-D quadratic bowl, with its condition number.
TrainingExplorer (notebook 06): a small network retrained when its learning rate or width changes.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib import ticker
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from bpkit.descent import Array, classify_run, gradient_descent, numerical_derivative
from bpkit.network import Params, TrainingDiverged, accuracy, predict
from bpkit.network import train as reference_train
from bpkit.plots import (
    figure_png,
    images_shown,
    plot_classes,
    plot_cost,
    plot_decision_boundary,
    plot_trajectory_1d,
    plot_trajectory_2d,
)

DPI = 80
"""Low resolution keeps a redraw well under 100 ms, so a dragged slider feels live."""

MARGINS = dict(left=0.08, right=0.98, bottom=0.17, top=0.95, wspace=0.32)
"""Fixed subplot margins: an automatic layout would measure every label again on each redraw."""

Descent = Callable[[Callable[[ArrayLike], ArrayLike], ArrayLike, float, int], ArrayLike]
Train = Callable[..., tuple[Params, Sequence[float]]]


def _light_log_axis(ax: Axes) -> None:
    """Decades only, labelled without mathtext: a log axis's minor ticks and 10^k labels
    cost more to draw than everything else in the picture."""
    ax.yaxis.set_minor_locator(ticker.NullLocator())
    ax.yaxis.set_major_formatter(ticker.LogFormatter())


def _log_slider(
    description: str, value: float, value_range: tuple[float, float], continuous_update: bool
) -> widgets.FloatLogSlider:
    low, high = value_range
    return widgets.FloatLogSlider(
        value=value,
        base=10,
        min=np.log10(low),
        max=np.log10(high),
        step=0.01,
        description=description,
        readout_format=".3g",
        continuous_update=continuous_update,
        style={"description_width": "initial"},
        layout=widgets.Layout(width="480px"),
    )


def _int_slider(description: str, value: int, high: int, continuous_update: bool) -> widgets.IntSlider:
    return widgets.IntSlider(
        value=value,
        min=1,
        max=high,
        description=description,
        continuous_update=continuous_update,
        style={"description_width": "initial"},
        layout=widgets.Layout(width="480px"),
    )


def step_size_sentence(learning_rate: float, curvature: float, direction: str = "") -> str:
    """Compare eta with 1/L and 2/L and say what one step does to the offset from the minimum.

    On a quadratic with curvature L each step multiplies the offset by 1 - eta L,
    so the comparison predicts the run exactly.
    """
    eta, L = learning_rate, curvature
    factor = 1 - eta * L
    if np.isclose(eta, 2 / L):
        relation, effect = "exactly 2/L", "which is -1: it bounces between two points for ever"
    elif eta > 2 / L:
        relation, effect = "above 2/L", "which is below -1: each jump lands farther out, so it diverges"
    elif np.isclose(eta, 1 / L):
        relation, effect = "exactly 1/L", "which is 0: one step lands on the minimum"
    elif eta > 1 / L:
        relation = "between 1/L and 2/L"
        effect = "which is between -1 and 0: it zig-zags across the minimum, closer every time"
    else:
        relation, effect = "below 1/L", "which is between 0 and 1: it approaches from one side"
    where = f"{direction.capitalize()}, " if direction else ""
    return (
        f"{where}L = {L:.3g}, so 1/L = {1 / L:.3g} and 2/L = {2 / L:.3g}; η = {eta:.3g} is {relation}: "
        f"each step multiplies the offset from the minimum by 1 − ηL = {factor:.3g}, {effect}."
    )


class _Explorer:
    """Sliders above a picture and an outcome sentence; redraws whenever a slider moves."""

    figsize: tuple[float, float] = (8.0, 3.0)
    margins: dict[str, float] = MARGINS

    def __init__(self, sliders: Sequence[widgets.Widget]) -> None:
        self.image = widgets.Image(format="png")
        self.outcome = widgets.HTML()
        self.box = widgets.VBox([*sliders, self.image, self.outcome])
        for slider in sliders:
            slider.observe(self._refresh, names="value")
        self._refresh()

    def _draw(self, fig: Figure) -> str:
        """Draw the current state on ``fig``; return the outcome as HTML."""
        raise NotImplementedError

    def _refresh(self, change: dict[str, Any] | None = None) -> None:
        fig = Figure(figsize=self.figsize, dpi=DPI)
        fig.subplots_adjust(**self.margins)
        try:
            text = self._draw(fig)
        except Exception as error:  # noqa: BLE001 - a learner's own function failed: say so where they look
            self.outcome.value = f"<b>Error</b>: {html.escape(f'{type(error).__name__}: {error}')}"
            return
        if images_shown():
            self.image.value = figure_png(fig)
        self.outcome.value = text

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | None:
        return self.box._repr_mimebundle_(**kwargs)


def _square(x: ArrayLike) -> Array:
    return np.square(x)


def _square_derivative(x: ArrayLike) -> Array:
    return 2 * np.asarray(x, dtype=float)


class StepSizeExplorer(_Explorer):
    """Gradient descent on a curve: the path on the curve and the loss per step, for a learning rate on a log slider.

    Default problem f(x) = x^2 (L = f'' = 2, so it diverges exactly above
    eta = 2/L = 1). For your own ``f`` pass ``x_min`` (to judge the run), ``df``
    (else a central difference is used) and, if f is a quadratic, its
    ``curvature`` to get the 1/L and 2/L comparison. ``descent`` replaces
    ``bpkit.descent.gradient_descent``, e.g. by the learner's own.
    """

    def __init__(
        self,
        f: Callable[[ArrayLike], ArrayLike] | None = None,
        df: Callable[[ArrayLike], ArrayLike] | None = None,
        x0: float = 3.0,
        x_min: float | None = None,
        learning_rate: float = 0.1,
        num_steps: int = 25,
        lr_range: tuple[float, float] = (1e-3, 10.0),
        curvature: float | None = None,
        descent: Descent | None = None,
    ) -> None:
        if f is None:
            if df is not None or x_min is not None:
                raise ValueError("df and x_min describe your own f: pass f as well")
            f, df, x_min, curvature = _square, _square_derivative, 0.0, 2.0
        elif x_min is None:
            raise ValueError("pass x_min, the minimiser of f, so that the run can be judged")
        self.f = f
        self.df = df or (lambda x: numerical_derivative(f, x))
        self.x0 = float(x0)
        self.x_min = float(x_min)
        self.curvature = curvature
        self.descent = descent or gradient_descent
        half_width = 1.5 * abs(self.x0 - self.x_min) or 1.0
        self.xlim = (self.x_min - half_width, self.x_min + half_width)
        self.path: Array = np.empty(0)
        self.learning_rate = _log_slider("learning rate η", learning_rate, lr_range, continuous_update=True)
        self.num_steps = _int_slider("steps", num_steps, max(100, num_steps), continuous_update=True)
        super().__init__([self.learning_rate, self.num_steps])

    def _run(self, learning_rate: float, num_steps: int) -> Array:
        path = np.asarray(self.descent(self.df, self.x0, learning_rate, num_steps), dtype=float)
        if path.shape != (num_steps + 1,):
            raise ValueError(
                f"gradient descent returned shape {path.shape}, expected ({num_steps + 1},): x0 and then one x per step"
            )
        return path

    def _draw(self, fig: Figure) -> str:
        eta = self.learning_rate.value
        self.path = self._run(eta, self.num_steps.value)
        outcome = classify_run(self.path, self.x_min)
        curve_ax, loss_ax = fig.subplots(1, 2)
        plot_trajectory_1d(self.f, self.path, ax=curve_ax, xlim=self.xlim)
        blew_up = outcome.kind == "diverges" and outcome.steps is not None
        with np.errstate(over="ignore", invalid="ignore"):
            gaps = np.asarray(self.f(self.path), dtype=float) - float(self.f(self.x_min))
        plot_cost(gaps[: outcome.steps] if blew_up else gaps, ax=loss_ax, xlabel="step k", log=True)
        loss_ax.set_ylabel("f(x_k) − f(x*)")
        _light_log_axis(loss_ax)
        if blew_up:
            loss_ax.text(0.05, 0.9, f"diverged at step {outcome.steps}", transform=loss_ax.transAxes, color="red")
        text = f"<b>{html.escape(outcome.text)}</b>"
        if self.curvature is not None:
            text += "<br>" + html.escape(step_size_sentence(eta, self.curvature))
        return text


class BowlExplorer(_Explorer):
    """Gradient descent on the bowl f(x, y) = (a x^2 + b y^2) / 2, drawn as contours with the path.

    Sliders: learning rate, steps and the condition number b/a. Along each axis
    a step multiplies the offset by 1 - eta a or 1 - eta b, so an ill-conditioned
    bowl zig-zags across its steep direction while crawling along the shallow one;
    it diverges once eta passes 2/max(a, b).
    """

    figsize = (6.0, 3.4)
    margins = dict(MARGINS, left=0.1, bottom=0.15)

    def __init__(
        self,
        a: float = 1.0,
        b: float = 10.0,
        start: tuple[float, float] = (-4.0, 2.0),
        learning_rate: float = 0.17,
        num_steps: int = 30,
        lr_range: tuple[float, float] = (1e-3, 3.0),
        condition_range: tuple[float, float] = (1.0, 100.0),
    ) -> None:
        self.a = float(a)
        self.start = np.asarray(start, dtype=float)
        self.xlim, self.ylim = ((-1.25 * (abs(c) or 1.0), 1.25 * (abs(c) or 1.0)) for c in self.start)
        self.path: Array = np.empty((0, 2))
        self.learning_rate = _log_slider("learning rate η", learning_rate, lr_range, continuous_update=True)
        self.num_steps = _int_slider("steps", num_steps, max(100, num_steps), continuous_update=True)
        self.condition = _log_slider("condition number b/a", b / a, condition_range, continuous_update=True)
        super().__init__([self.learning_rate, self.num_steps, self.condition])

    @property
    def b(self) -> float:
        """Curvature along y: a times the condition number."""
        return self.a * self.condition.value

    def _draw(self, fig: Figure) -> str:
        eta, curvatures = self.learning_rate.value, np.array([self.a, self.b])
        self.path = gradient_descent(lambda p: curvatures * p, self.start, eta, self.num_steps.value)
        outcome = classify_run(self.path, np.zeros(2))

        def bowl(x: Array, y: Array) -> Array:
            return (curvatures[0] * x**2 + curvatures[1] * y**2) / 2

        corner = bowl(self.xlim[1], self.ylim[1])
        ax = fig.add_subplot()
        plot_trajectory_2d(
            bowl, self.path, ax=ax, levels=np.geomspace(1e-3, 1, 12) * corner, xlim=self.xlim, ylim=self.ylim
        )
        ax.set_aspect("equal")
        threshold = 2 / curvatures.max()
        sentences = [
            f"Threshold 2/max(a, b) = {threshold:.3g}: "
            f"η = {eta:.3g} is {'below' if eta < threshold else 'at or above'} it.",
            step_size_sentence(eta, curvatures[0], "along x"),
            step_size_sentence(eta, curvatures[1], "along y"),
        ]
        return f"<b>{html.escape(outcome.text)}</b><br>" + "<br>".join(map(html.escape, sentences))


class TrainingExplorer(_Explorer):
    """A network with one hidden layer retrained on (X, Y) whenever its learning rate or width changes.

    Shows the decision boundary next to the cost curve, and the final cost and
    training accuracy. Labels are binary, ``Y`` of shape (1, m); the layers are
    [n0, hidden_units, 1]. ``train`` replaces ``bpkit.network.train`` (same
    signature), e.g. by the learner's own loop. A run whose cost becomes inf or
    NaN (``TrainingDiverged`` or non-finite costs) is reported, not plotted.
    """

    figsize = (8.0, 3.2)

    def __init__(
        self,
        X: ArrayLike,
        Y: ArrayLike,
        hidden_units: int = 4,
        learning_rate: float = 0.5,
        num_epochs: int = 500,
        train: Train | None = None,
        seed: int = 0,
        lr_range: tuple[float, float] = (1e-3, 100.0),
        max_hidden_units: int = 16,
    ) -> None:
        self.X = np.asarray(X, dtype=float)
        self.Y = np.asarray(Y, dtype=float)
        self.num_epochs = num_epochs
        self.train = train or reference_train
        self.seed = seed
        self.params: Params | None = None
        self.costs: Array = np.empty(0)
        self.learning_rate = _log_slider("learning rate η", learning_rate, lr_range, continuous_update=False)
        self.hidden_units = _int_slider(
            "hidden units", hidden_units, max(max_hidden_units, hidden_units), continuous_update=False
        )
        super().__init__([self.learning_rate, self.hidden_units])

    def _draw(self, fig: Figure) -> str:
        eta = self.learning_rate.value
        layer_dims = [self.X.shape[0], self.hidden_units.value, 1]
        boundary_ax, cost_ax = fig.subplots(1, 2)
        self.params, self.costs = None, np.empty(0)
        with np.errstate(over="ignore", invalid="ignore"):  # a divergent run is reported in words below
            try:
                params, costs = self.train(
                    self.X, self.Y, layer_dims, learning_rate=eta, num_epochs=self.num_epochs, seed=self.seed
                )
            except TrainingDiverged as error:
                return self._diverged(boundary_ax, cost_ax, str(error))
            costs = np.asarray(costs, dtype=float)
            if not np.isfinite(costs).all():
                epoch = int(np.argmin(np.isfinite(costs)))
                return self._diverged(boundary_ax, cost_ax, f"the cost became {costs[epoch]} at epoch {epoch}")
            self.params, self.costs = params, costs
            plot_decision_boundary(lambda grid: predict(grid, params), self.X, self.Y, ax=boundary_ax, resolution=100)
            train_accuracy = accuracy(predict(self.X, params), self.Y)
        plot_cost(costs, ax=cost_ax, xlabel="epoch", log=True)
        _light_log_axis(cost_ax)
        text = f"Final cost {costs[-1]:.4g} after {costs.size} epochs; training accuracy {train_accuracy:.0%}."
        if costs[-1] > costs[0]:
            text = (
                f"<b>Diverges</b>: the cost rose from {costs[0]:.3g} to {costs[-1]:.3g}, "
                f"so η = {eta:.3g} is too large. {text}"
            )
        return text

    def _diverged(self, boundary_ax: Axes, cost_ax: Axes, reason: str) -> str:
        plot_classes(self.X, self.Y, ax=boundary_ax)
        cost_ax.text(
            0.5,
            0.5,
            "training diverged:\nno cost curve to show",
            transform=cost_ax.transAxes,
            ha="center",
            va="center",
            color="red",
        )
        cost_ax.set_axis_off()
        return f"<b>Training diverged</b>: {html.escape(reason)}."
