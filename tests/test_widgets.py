"""Tests for bpkit.widgets, driven from plain Python by setting slider values, plus one real kernel."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient

from bpkit.descent import classify_run, gradient_descent
from bpkit.network import TrainingDiverged, train
from bpkit.widgets import BowlExplorer, StepSizeExplorer, TrainingExplorer

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
XOR_X = np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]])
XOR_Y = np.array([[0.0, 1.0, 1.0, 0.0]])


def expected_outcome(learning_rate: float, num_steps: int = 25) -> str:
    """What classify_run says about the default problem f(x) = x^2 from x0 = 3."""
    return classify_run(gradient_descent(lambda x: 2 * x, 3.0, learning_rate, num_steps), 0.0).text


def test_step_size_explorer_converges_at_0_3_with_the_text_of_classify_run():
    explorer = StepSizeExplorer()
    explorer.learning_rate.value = 0.3
    assert "Converges in 9 steps" in explorer.outcome.value
    assert expected_outcome(0.3) in explorer.outcome.value
    assert "below 1/L" in explorer.outcome.value and "2/L = 1" in explorer.outcome.value
    np.testing.assert_allclose(explorer.path, 3.0 * 0.4 ** np.arange(26))


def test_step_size_explorer_diverges_above_two_over_l_and_redraws():
    explorer = StepSizeExplorer(learning_rate=0.3)
    converging = explorer.image.value
    explorer.learning_rate.value = 1.1
    assert "Diverges" in explorer.outcome.value
    assert expected_outcome(1.1) in explorer.outcome.value
    assert "above 2/L" in explorer.outcome.value
    assert bytes(explorer.image.value).startswith(b"\x89PNG") and explorer.image.value != converging


def test_step_size_explorer_between_one_and_two_over_l_zig_zags():
    explorer = StepSizeExplorer(learning_rate=0.7)
    assert "between 1/L and 2/L" in explorer.outcome.value
    assert np.all(np.diff(np.sign(explorer.path[:10])) != 0)


def test_step_size_explorer_blow_up_is_reported_and_the_picture_still_renders():
    explorer = StepSizeExplorer(learning_rate=10.0)
    assert "passed 1e+06 at step 5" in explorer.outcome.value
    overflowing = StepSizeExplorer(learning_rate=1e3, lr_range=(1e-3, 1e4), num_steps=150)
    assert overflowing.path.shape == (151,) and not np.isfinite(overflowing.path[-1])
    assert "passed 1e+06 at step 2" in overflowing.outcome.value
    assert bytes(overflowing.image.value).startswith(b"\x89PNG")


def test_step_size_explorer_redraws_when_the_number_of_steps_changes():
    explorer = StepSizeExplorer(learning_rate=0.05)
    before, text_before = explorer.image.value, explorer.outcome.value
    explorer.num_steps.value = 80
    assert explorer.path.shape == (81,)
    assert explorer.image.value != before
    assert expected_outcome(0.05, 80) in explorer.outcome.value and explorer.outcome.value != text_before


def test_step_size_explorer_uses_the_learners_descent_function():
    calls = []

    def my_descent(df, x0, learning_rate, num_steps):
        calls.append((x0, learning_rate, num_steps))
        return gradient_descent(df, x0, learning_rate, num_steps)

    explorer = StepSizeExplorer(descent=my_descent)
    explorer.learning_rate.value = 0.3
    assert calls == [(3.0, 0.1, 25), (3.0, 0.3, 25)]
    assert "Converges in 9 steps" in explorer.outcome.value


def test_step_size_explorer_shows_what_is_wrong_with_a_learners_descent():
    explorer = StepSizeExplorer(descent=lambda df, x0, learning_rate, num_steps: [x0])
    assert "Error" in explorer.outcome.value and "expected (26,)" in explorer.outcome.value


def test_step_size_explorer_on_another_function():
    with pytest.raises(ValueError, match="x_min"):
        StepSizeExplorer(f=np.cosh)
    explorer = StepSizeExplorer(f=lambda x: (x - 1.0) ** 4, x0=2.0, x_min=1.0, learning_rate=0.1)
    path = gradient_descent(lambda x: 4 * (x - 1.0) ** 3, 2.0, 0.1, 25)  # df defaults to a central difference
    np.testing.assert_allclose(explorer.path, path, rtol=1e-6)
    assert explorer.outcome.value == f"<b>{classify_run(path, 1.0).text}</b>"  # not a quadratic: no 1/L, 2/L


def test_explorer_displays_as_its_widget_box():
    bundle = StepSizeExplorer()._repr_mimebundle_()
    assert WIDGET_MIME in bundle


def test_bowl_explorer_zig_zags_when_ill_conditioned():
    explorer = BowlExplorer(a=1.0, b=1.0, learning_rate=0.035)
    assert "zig-zag" not in explorer.outcome.value
    round_bowl = explorer.image.value
    explorer.condition.value = 50.0
    assert explorer.b == 50.0
    assert "Along y, L = 50" in explorer.outcome.value and "zig-zags" in explorer.outcome.value
    y = explorer.path[:, 1]
    assert np.all(np.sign(y[1:11]) == -np.sign(y[:10]))  # y flips side every step
    assert np.all(np.diff(explorer.path[:, 0]) > 0)  # x creeps in from one side
    assert explorer.image.value != round_bowl


def test_bowl_explorer_diverges_above_two_over_the_largest_curvature():
    explorer = BowlExplorer(a=1.0, b=50.0, learning_rate=0.05)
    assert "2/max(a, b) = 0.04" in explorer.outcome.value
    assert "Diverges" in explorer.outcome.value


def spy_train(calls):
    def recording_train(X, Y, layer_dims, **kwargs):
        calls.append((list(layer_dims), kwargs["learning_rate"]))
        return train(X, Y, layer_dims, **kwargs)

    return recording_train


def test_training_explorer_retrains_when_the_hidden_units_change():
    calls = []
    explorer = TrainingExplorer(XOR_X, XOR_Y, hidden_units=4, learning_rate=0.5, num_epochs=300, train=spy_train(calls))
    assert "training accuracy 100%" in explorer.outcome.value
    before = explorer.image.value
    explorer.hidden_units.value = 6
    assert calls == [([2, 4, 1], 0.5), ([2, 6, 1], 0.5)]
    assert explorer.params["W1"].shape == (6, 2)
    assert explorer.image.value != before
    assert f"Final cost {explorer.costs[-1]:.4g} after 300 epochs" in explorer.outcome.value


def test_training_explorer_says_a_huge_learning_rate_diverges():
    explorer = TrainingExplorer(XOR_X, XOR_Y, num_epochs=100)
    explorer.learning_rate.value = 100.0
    assert "Diverges" in explorer.outcome.value and "too large" in explorer.outcome.value


def test_training_explorer_reports_training_diverged_without_plotting_nan():
    def exploding_train(X, Y, layer_dims, **kwargs):
        raise TrainingDiverged("the cost became nan at epoch 3: learning rate 50 is too large")

    explorer = TrainingExplorer(XOR_X, XOR_Y, train=exploding_train)
    assert "Training diverged" in explorer.outcome.value and "epoch 3" in explorer.outcome.value
    assert explorer.params is None and bytes(explorer.image.value).startswith(b"\x89PNG")

    def nan_train(X, Y, layer_dims, **kwargs):
        params, costs = train(X, Y, layer_dims, **kwargs)
        return params, costs[:2] + [float("nan")] * (len(costs) - 2)

    explorer = TrainingExplorer(XOR_X, XOR_Y, num_epochs=10, train=nan_train)
    assert "Training diverged" in explorer.outcome.value and "at epoch 2" in explorer.outcome.value


def test_step_size_explorer_in_a_real_kernel(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("from bpkit.widgets import StepSizeExplorer\ne = StepSizeExplorer()\ne"),
        nbformat.v4.new_code_cell("e.learning_rate.value = 1.1\nprint(e.outcome.value)"),
    ]
    client = NotebookClient(
        notebook, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    shown, printed = (cell.outputs for cell in notebook.cells)
    assert any(WIDGET_MIME in output.get("data", {}) for output in shown)
    assert any(output.get("name") == "stdout" and "Diverges" in output["text"] for output in printed)
