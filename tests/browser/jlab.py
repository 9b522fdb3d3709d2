"""What only the browser tests need on top of ``autograder.lab_driver``: notebook copies, pages and what a
failed test leaves in tests/artifacts/, kernel clean-up between tests, running cells one by one, reading
errors, toasts and images off the page."""

from __future__ import annotations

import html
import os
import re
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from autograder.lab import LabCommand
from autograder.lab_driver import PAGE_TIMEOUT, api, cells, wait_kernel_idle
from autograder.paths import REPO

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

ARTIFACTS = REPO / "tests" / "artifacts"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def copy_notebooks(source: Path, target: Path) -> Path:
    """Copy a folder of assignments (notebooks only, no checkpoints)."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.pyc"))
    return target


def shut_down_kernels(lab: LabCommand) -> None:
    """End every session and kernel of the server (between tests, so kernels do not pile up)."""
    for session in api(lab, "/api/sessions"):
        api(lab, f"/api/sessions/{session['id']}", "DELETE")
    for kernel in api(lab, "/api/kernels"):
        api(lab, f"/api/kernels/{kernel['id']}", "DELETE")


RECORD_TOASTS = """
window.__toasts = [];
new MutationObserver(() => {
  for (const toast of document.querySelectorAll('.Toastify__toast')) {
    if (!toast.__seen) { toast.__seen = true; window.__toasts.push(toast.textContent); }
  }
}).observe(document, {childList: true, subtree: true});
"""
"""Init script: remember the text of every notification toast that ever appears on the page."""


def new_page(browser: Browser) -> tuple[BrowserContext, Page, list[str]]:
    """A fresh browser context and page, and the list its console messages and page errors are added to."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(PAGE_TIMEOUT)
    context.add_init_script(RECORD_TOASTS)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(f"[{message.type}] {message.text}"))
    page.on("pageerror", lambda error: console.append(f"[pageerror] {error}"))
    return context, page, console


def failed(request: pytest.FixtureRequest) -> bool:
    """Whether the test that asked for a fixture failed in its setup or its call."""
    reports = (getattr(request.node, f"rep_{when}", None) for when in ("setup", "call"))
    return any(report is not None and report.failed for report in reports)


def keep_artifacts_if_failed(request: pytest.FixtureRequest, page: Page, console: list[str], lab_root: Path) -> None:
    """If the test failed: the page's screenshot, its console log and the server's log go to tests/artifacts/."""
    if not failed(request):
        return
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid.split("::", 1)[-1])
    try:
        page.screenshot(path=str(ARTIFACTS / f"{stem}.png"), full_page=True, timeout=60_000)
    except Exception as error:  # noqa: BLE001 - keep the logs even if the page is gone
        console.append(f"[artifacts] no screenshot: {error}")
    (ARTIFACTS / f"{stem}.console.log").write_text("\n".join(console) + "\n", encoding="utf-8")
    server_log = lab_root / "server.log"
    if server_log.exists():
        shutil.copyfile(server_log, ARTIFACTS / f"{stem}.server.log")


RUN_ONE = """async ([index, ms]) => {
  const nb = window.jupyterapp.shell.currentWidget.content;
  nb.activeCellIndex = index;
  nb.deselectAll();
  const run = window.jupyterapp.commands.execute('notebook:run-cell');
  const late = new Promise(resolve => setTimeout(() => resolve('timeout'), ms));
  return (await Promise.race([run.then(() => 'done'), late]));
}"""


def run_cells_one_by_one(page: Page, timeout_per_cell: int = PAGE_TIMEOUT) -> None:
    """Run every cell in order with the command ``notebook:run-cell``, each once the previous one finished,
    so that an error does not stop the rest (Run All stops at the first error)."""
    count = len(cells(page))
    for index in range(count):
        result = page.evaluate(RUN_ONE, [index, timeout_per_cell])
        assert result == "done", f"cell {index} did not finish within {timeout_per_cell / 1000:.0f} s"
    wait_kernel_idle(page)


ERROR_OUTPUTS = """() => window.jupyterapp.shell.currentWidget.content.widgets.map(c =>
  Array.from(c.node.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'))
       .map(e => e.textContent))"""


def error_outputs(page: Page) -> dict[int, list[str]]:
    """Cell index -> text of each stderr/error output shown under it, read from the DOM."""
    return {i: texts for i, texts in enumerate(page.evaluate(ERROR_OUTPUTS)) if texts}


def last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


def toasts(page: Page) -> list[str]:
    return page.evaluate("() => window.__toasts || []")


def html_to_text(markup: str) -> str:
    """What an HTML snippet reads as: <br> is a line break, tags go, entities are decoded."""
    text = re.sub(r"<br\s*/?>", "\n", markup)
    return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()


def step_size_outcome(learning_rate: float, **explorer_args) -> tuple[str, bytes]:
    """(outcome text, PNG) that bpkit's StepSizeExplorer shows for this learning rate."""
    import matplotlib

    matplotlib.use("Agg")
    from bpkit.widgets import StepSizeExplorer

    explorer = StepSizeExplorer(learning_rate=learning_rate, **explorer_args)
    assert explorer.learning_rate.value == learning_rate
    return html_to_text(explorer.outcome.value), bytes(explorer.image.value)


IMAGE_BYTES = """async (img) => {
  const buffer = await (await fetch(img.src)).arrayBuffer();
  return Array.from(new Uint8Array(buffer));
}"""


def image_bytes(page: Page, img) -> bytes:
    """The bytes behind an <img> (ipywidgets serves Image widgets as blob: URLs)."""
    return bytes(page.evaluate(IMAGE_BYTES, img.element_handle()))


def poll(condition, timeout: float, interval: float = 0.1):
    """Call ``condition`` until it returns something truthy; return that, or raise TimeoutError."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"condition not met within {timeout:.0f} s")
        time.sleep(interval)
