"""The grading core on a tiny course notebook: scores, reasons, and submissions that try to cheat."""

from __future__ import annotations

import copy

import nbformat
import pytest

from autograder import notebooks as nbs
from autograder.grading.learner import FIGURE_SKIPPED, execute
from autograder.grading.pipeline import grade_notebook
from autograder.sandbox import Limits

pytestmark = pytest.mark.slow

SETUP = "import numpy as np\nfrom bpkit.testing import check_array, passed"
ANSWER = "def double(x):\n    ### BEGIN SOLUTION\n    return 2 * np.asarray(x)\n    ### END SOLUTION"
TESTS = (
    'check_array("double([1, 2])", double(np.array([1.0, 2.0])), [2.0, 4.0])\n'
    'passed("double")\n'
    "### BEGIN HIDDEN TESTS\n"
    'check_array("double([3])", double(np.array([3.0])), [6.0])\n'
    "### END HIDDEN TESTS"
)
# passes the visible test only
WRONG = "def double(x):\n    return 2 * np.asarray(x) if np.size(x) == 2 else np.asarray(x)"


def cell(kind, source, **meta):
    c = nbformat.v4.new_markdown_cell(source) if kind == "md" else nbformat.v4.new_code_cell(source)
    c["id"] = meta.pop("id")
    if meta:
        c.metadata["nbgrader"] = {"schema_version": 3, "task": False, **meta}
    return c


@pytest.fixture(scope="module")
def source():
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    nb.cells = [
        cell("md", "# Doubling", id="intro"),
        cell("code", SETUP, id="setup", grade=False, solution=False, locked=True, grade_id="setup"),
        cell("code", ANSWER, id="double", grade=False, solution=True, locked=False, grade_id="double"),
        cell(
            "code", TESTS, id="test_double", grade=True, solution=False, locked=True, points=2, grade_id="test_double"
        ),
    ]
    return nb


def submit(source, answer, edit=None):
    nb = copy.deepcopy(source)
    nb.cells[2].source = answer
    if edit:
        edit(nb)
    return nb


def graded(source, answer, edit=None, timeout=10, sandbox=None):
    result = grade_notebook(submit(source, answer, edit), source, timeout=timeout, sandbox=sandbox)
    (only,) = result.cells
    return result, only


def test_right_answer_scores_full_marks_and_output_is_clean(source):
    result, test = graded(source, "def double(x):\n    return 2 * np.asarray(x)")
    assert (result.status, test.points, test.status) == ("graded", 2.0, "passed")
    text = "".join(o.get("text", "") for c in result.graded.cells for o in c.get("outputs", []))
    assert "visible tests passed" in text
    shown = [c.source for c in result.graded.cells][3]  # the visible tests, and a note where the hidden ones were
    assert shown == nbs.hide_tests(TESTS) and shown.startswith(TESTS.split("###")[0]) and "double([3])" not in shown


def test_hidden_failure_is_marked_hidden(source):
    _, test = graded(source, WRONG)
    assert test.points == 0 and test.hidden and "double([3])" in test.message


def test_visible_failure_is_not_hidden(source):
    _, test = graded(source, "def double(x):\n    return x")
    assert test.points == 0 and not test.hidden and "double([1, 2])" in test.message


def test_edited_test_cell_is_restored(source):
    def blank(nb):
        nb.cells[3].source = "pass"

    _, test = graded(source, WRONG, blank)
    assert test.points == 0 and test.hidden


def test_deleted_test_cell_is_restored(source):
    def delete(nb):
        del nb.cells[3]

    _, test = graded(source, WRONG, delete)
    assert test.points == 0


def test_deleted_answer_cell_scores_zero_with_a_reason(source):
    def delete(nb):
        del nb.cells[2]

    _, test = graded(source, "", delete)
    assert test.points == 0 and "NameError" in test.message


@pytest.mark.parametrize(
    "attack",
    [
        "np.isclose = lambda a, b, *x, **k: np.ones(np.shape(a), dtype=bool)\nnp.allclose = lambda *a, **k: True",
        "import bpkit.testing\nbpkit.testing.check_array = lambda *a, **k: None",
        "check_array = lambda *a, **k: None",
        "import builtins\nbuiltins.AssertionError = type('Harmless', (Exception,), {})",
        "import bpkit.testing\nbpkit.testing.CheckFailed = type('Harmless', (Warning,), {})",
        "get_ipython().set_custom_exc((BaseException,), lambda *a, **k: None)",
        "import bpkit.testing\nbpkit.testing.check_array.__code__ = (lambda *a, **k: None).__code__",
        "import sys, types\nsys.modules['bpkit.testing'] = types.SimpleNamespace(check_array=lambda *a, **k: None)",
    ],
    ids=[
        "numpy",
        "helper-module",
        "helper-name",
        "AssertionError",
        "CheckFailed",
        "hidden-errors",
        "helper-code",
        "sys.modules",
    ],
)
def test_monkeypatching_does_not_make_wrong_work_pass(source, attack):
    _, test = graded(source, f"{WRONG}\n{attack}")
    assert test.points == 0, test


@pytest.mark.parametrize("sandbox", [None, Limits()], ids=["plain", "sandboxed"])
def test_hang_after_a_correct_function_is_reported_as_timed_out(source, sandbox):
    hang = "def double(x):\n    return 2 * np.asarray(x)\nwhile True:\n    pass"
    result, test = graded(source, hang, timeout=2, sandbox=sandbox)
    assert (test.points, test.status) == (0, "timed out")
    assert "ran longer than 2 s" in test.message


def test_a_learner_call_that_hangs_times_out_its_test_cell(source):
    result, test = graded(source, "def double(x):\n    while True:\n        pass", timeout=2)
    assert (result.status, test.points, test.status) == ("graded", 0, "timed out")
    assert "this test cell ran longer than 2 s" in test.message


def test_kernel_exit_is_reported(source):
    result, test = graded(source, "import os\nos._exit(3)")
    assert result.status == "kernel died" and test.status == "not run" and test.points == 0


def test_a_kernel_that_exits_during_a_call_from_a_test_is_reported_as_such(source):
    """Printing to the end, then gone: the checker sees the death, not a call that runs out of time."""
    answer = "def double(x):\n    import os\n    for i in range(100):\n        print(i)\n    os._exit(3)"
    result, test = graded(source, answer, timeout=30)
    assert (result.status, test.status, test.points) == ("kernel died", "not run", 0)
    assert "the kernel died during a call from a test" in result.error
    assert test.message == "the kernel died while this test ran"


def test_huge_allocation_fails_inside_the_kernel(source):
    result, test = graded(source, "def double(x):\n    return np.ones(int(2e10), dtype=np.uint8)")
    assert result.status == "graded" and "MemoryError" in test.message


def test_corrupt_notebook_is_reported_not_raised(source, tmp_path):
    path = tmp_path / "broken.ipynb"
    path.write_text('{"cells": [')
    result = grade_notebook(path, source)
    assert result.status == "invalid" and result.score == 0 and "not a readable notebook" in result.error
    assert path.read_text() == '{"cells": ['


def test_a_corrupt_notebook_in_a_sandboxed_run_is_not_reported_as_graded_without_the_sandbox(source):
    """Nothing of it ran, and nothing would have run outside the sandbox: its feedback, the grade summary and
    the report must not warn that it ran with the grader's rights."""
    assert grade_notebook(b'{"cells": [', source, sandbox=Limits()).sandboxed
    assert not grade_notebook(b'{"cells": [', source).sandboxed


def test_figures_are_neither_drawn_nor_displayed_while_grading():
    """Grading reads no figure: pyplot's after-cell drawing is skipped too, not only the image display."""
    setup = cell(
        "code", "%matplotlib inline\nimport matplotlib.pyplot as plt", id="setup", grade_id="setup", locked=True
    )
    plot = nbformat.v4.new_code_cell(
        "drawn = []\nfig, ax = plt.subplots()\n"
        "fig.canvas.mpl_connect('draw_event', lambda event: drawn.append(1))\nax.plot([1, 2, 3])"
    )
    count = nbformat.v4.new_code_cell("print('draws:', len(drawn))")
    nb = nbformat.v4.new_notebook(cells=[setup, plot, count])
    result = grade_notebook(nb, nb)
    outputs = [cell.outputs for cell in result.graded.cells]
    assert [o.get("text") for o in outputs[2]] == ["draws: 0\n"]
    shown = [o for o in outputs[1] if o.output_type == "display_data"]
    assert shown and all(set(o.data) == {"text/plain"} for o in shown)
    assert shown[0].data["text/plain"].startswith(FIGURE_SKIPPED)


def test_a_graded_kernel_flushes_its_output_only_when_something_was_written():
    """ipykernel flushes stdout and stderr before each of the checker's requests (a raw_input): while grading,
    a flush with nothing written hands no task to the kernel's output thread, and what was written still comes
    out, in order."""
    probe = nbformat.v4.new_code_cell(
        "import sys\nthread = sys.stdout.pub_thread\nhanded = []\nschedule = thread.schedule\n"
        "thread.schedule = lambda task: (handed.append(task), schedule(task))[-1]\n"
        "sys.stdout.flush()\nsys.stderr.flush()\nidle = len(handed)\n"
        "sys.stdout.write('written')\nsys.stdout.flush()\nthread.schedule = schedule\n"
        "print(' then', idle, len(handed) > idle)"
    )
    nb = nbformat.v4.new_notebook(cells=[probe])
    graded = grade_notebook(nb, nb).graded.cells
    assert "".join(o.get("text", "") for o in graded[0].outputs) == "written then 0 True\n"


def test_a_widget_and_a_live_plot_draw_their_pictures_for_the_learner_and_not_while_grading():
    setup = cell(
        "code",
        "from bpkit.plots import LiveCostPlot\nfrom bpkit.widgets import StepSizeExplorer",
        id="setup",
        grade_id="setup",
        locked=True,
    )
    explorer = nbformat.v4.new_code_cell(
        "explorer = StepSizeExplorer()\nprint('png bytes:', len(explorer.image.value), explorer.outcome.value != '')"
    )
    live = nbformat.v4.new_code_cell("with LiveCostPlot(interval=0) as live:\n    live.update(0, 0.5)")
    nb = nbformat.v4.new_notebook(cells=[setup, explorer, live])
    graded = grade_notebook(nb, nb).graded.cells
    assert [o.get("text") for o in graded[1].outputs] == ["png bytes: 0 True\n"]
    assert graded[2].outputs == []
    run, _, _, _ = execute(copy.deepcopy(nb))  # as the learner runs it
    shown = run.cells[1].outputs[0].text
    assert shown.startswith("png bytes: ") and int(shown.split()[2]) > 1000, shown
    assert [o.output_type for o in run.cells[2].outputs] == ["display_data"]
    assert "image/png" in run.cells[2].outputs[0].data
