"""The learner's kernel client: ready as soon as a fresh kernel answers, and every output of the first cell kept."""

from __future__ import annotations

import json
import sys

import nbformat
import pytest
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync

from autograder import warm_start
from autograder.grading.learner import ReadyClient, execute
from autograder.sandbox import Limits

pytestmark = pytest.mark.slow

FIRST_CELL = "print('one')\nimport sys\nprint('two', file=sys.stderr)\ndisplay('three')"


@pytest.mark.parametrize(
    "limits,warm", [(Limits(), True), (Limits(), False), (None, False)], ids=["warm-sandbox", "cold-sandbox", "plain"]
)
def test_the_first_cell_of_a_fresh_kernel_keeps_every_output(limits, warm):
    if warm:
        warm_start.enable()  # as a grading worker does; conftest turns it off after the test
    for _ in range(3):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FIRST_CELL)])
        ran, timed_out, died_at, error = execute(nb, timeout=30, sandbox=limits)
        outputs = [
            (o.output_type, o.get("name"), o.get("text") or o.get("data", {}).get("text/plain"))
            for o in ran.cells[0].outputs
        ]
        assert (timed_out, died_at, error) == (set(), None, "")
        assert outputs == [
            ("stream", "stdout", "one\n"),
            ("stream", "stderr", "two\n"),
            ("display_data", None, "'three'"),
        ]


def test_a_kernel_that_ends_before_it_answers_is_reported_not_waited_for(tmp_path, monkeypatch):
    spec = tmp_path / "kernels" / "gone"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-c", "pass", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "gone", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    km = AsyncKernelManager(kernel_name="gone", client_factory=ReadyClient)
    run_sync(km.start_kernel)()
    client = km.client()
    client.start_channels()
    try:
        with pytest.raises(RuntimeError, match="Kernel died before replying to kernel_info"):
            run_sync(client.wait_for_ready)(timeout=60)
    finally:
        client.stop_channels()
        run_sync(km.shutdown_kernel)(now=True)
