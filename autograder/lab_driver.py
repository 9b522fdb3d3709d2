"""Driving a learner's JupyterLab in headless Chromium through Playwright.

The browser tests (``tests/browser``) and the browser benchmark
(``benchmarks/bench_browser.py``) both drive the lab with it; Playwright comes
with the ``test`` extra and is imported only by the caller.

The server is ``autograder.lab``'s learner launcher with private HOME and Jupyter
folders, serving temporary copies of the notebooks, plus
``--LabApp.expose_app_in_browser`` so that the page's ``window.jupyterapp``
can run JupyterLab commands and read the notebook model. Every wait here is
on a condition, with generous time limits: the machine may be slow.
"""

from __future__ import annotations

import json
import os
import secrets
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from autograder.lab import LabCommand, LabServer, free_port, lab_command, write_learner_config

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")

SERVER_TIMEOUT = 300.0  # s for JupyterLab to answer
PAGE_TIMEOUT = 180_000  # ms for the app to load, a kernel to start, a cell to run
IDLE_STABLE = 1.0  # s the kernel must stay idle to count as idle

DRIVER_ARGS = [
    "--LabApp.expose_app_in_browser=True",
    # safety net if the test process is killed before it can stop the server: it ends itself when idle
    "--ServerApp.shutdown_no_activity_timeout=900",
]


@dataclass(frozen=True)
class JupyterDirs:
    """Private HOME and Jupyter folders, so that a server sees nothing of the user's own configuration."""

    home: Path
    config: Path
    data: Path
    runtime: Path
    settings: Path
    workspaces: Path

    @classmethod
    def under(cls, root: Path) -> JupyterDirs:
        root = Path(root)
        dirs = cls(
            home=root / "home",
            config=root / "jupyter-config",
            data=root / "jupyter-data",
            runtime=root / "jupyter-runtime",
            settings=root / "lab-user-settings",
            workspaces=root / "lab-workspaces",
        )
        for path in (dirs.home, dirs.config, dirs.data, dirs.runtime, dirs.settings, dirs.workspaces):
            path.mkdir(parents=True, exist_ok=True)
        return dirs

    def environ(self) -> dict[str, str]:
        return {
            "HOME": str(self.home),
            "JUPYTER_CONFIG_DIR": str(self.config),
            "JUPYTER_DATA_DIR": str(self.data),
            "JUPYTER_RUNTIME_DIR": str(self.runtime),
            "JUPYTERLAB_SETTINGS_DIR": str(self.settings),
            "JUPYTERLAB_WORKSPACES_DIR": str(self.workspaces),
        }


def chromium_executable() -> str | None:
    """$BPCOURSE_CHROMIUM, else Debian's Chromium (Playwright cannot download browsers here)."""
    override = os.environ.get("BPCOURSE_CHROMIUM")
    if override:
        return override if os.access(override, os.X_OK) else None
    return next((path for path in CHROMIUM_CANDIDATES if os.access(path, os.X_OK)), None)


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is missing: run `make test` (it installs '.[test]')"
    if chromium_executable() is None:
        return (
            "no Chromium found (looked for $BPCOURSE_CHROMIUM, "
            + ", ".join(CHROMIUM_CANDIDATES)
            + "): `apt-get install chromium`, as .ci/run does"
        )
    return None


def launch_browser(playwright) -> Browser:
    return playwright.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS, headless=True)


@contextmanager
def running_lab(root: Path, served: Path) -> Iterator[LabCommand]:
    """A learner's JupyterLab on ``served`` (127.0.0.1, a free port, a fresh token), everything else under
    ``root``; stopped with its kernels on exit. Its log is ``root / "server.log"``."""
    command = lab_command(
        served,
        port=free_port(),
        token=secrets.token_hex(16),
        ip="127.0.0.1",
        learner_config=write_learner_config(root / "learner-config"),
        extra_env=JupyterDirs.under(root).environ(),
        extra_args=DRIVER_ARGS,
    )
    server = LabServer(command, log_path=root / "server.log").start()
    try:
        server.wait_until_ready(SERVER_TIMEOUT)
        yield command
    finally:
        server.stop()


def api(lab: LabCommand, path: str, method: str = "GET") -> object:
    request = urllib.request.Request(
        f"{lab.base}{path}", method=method, headers={"Authorization": f"token {lab.token}"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        body = response.read()
    return json.loads(body) if body else None


# ---- the page -------------------------------------------------------------------------------------

_workspace_counter = iter(range(1, 1_000_000))


def open_notebook(page: Page, lab: LabCommand, path: str) -> None:
    """Open ``path`` (relative to the served folder) in a fresh workspace and wait for its kernel to be idle."""
    _load_app(page, lab, f"/tree/{path}")
    _wait_notebook_ready(page, path)


def load_lab(page: Page, lab: LabCommand) -> None:
    """Load JupyterLab in ``page`` on a fresh workspace with no document open, and wait until it is restored."""
    _load_app(page, lab)
    page.evaluate("async () => { await window.jupyterapp.restored; }")


def open_in_lab(page: Page, path: str) -> None:
    """Open ``path`` in the JupyterLab already loaded in ``page`` (``load_lab``) and wait for its kernel to be
    idle. Loading the app is most of what opening a notebook costs: this takes about 4 s of CPU less."""
    page.evaluate(
        "async (path) => { await window.jupyterapp.commands.execute('docmanager:open', {path, factory: 'Notebook'}); }",
        path,
    )
    _wait_notebook_ready(page, path)


def close_current(page: Page) -> None:
    """Close any dialog, then the document in the main area without saving it and without asking (its kernel
    keeps running)."""
    dialogs = page.locator(".jp-Dialog")
    if dialogs.count():
        page.keyboard.press("Escape")
        dialogs.first.wait_for(state="detached", timeout=PAGE_TIMEOUT)
    page.evaluate(
        """() => { const w = window.jupyterapp.shell.currentWidget;
                   if (w) { if (w.context) { w.context.model.dirty = false; } w.dispose(); } }"""
    )


def _load_app(page: Page, lab: LabCommand, tail: str = "") -> None:
    """Load JupyterLab in ``page`` on a new workspace of its own (``tail``: what it opens), so no earlier state is
    restored, and wait until its application object exists."""
    workspace = f"w{next(_workspace_counter)}x{secrets.token_hex(3)}"  # letters and digits only
    page.goto(f"{lab.base}/lab/workspaces/{workspace}{tail}?token={lab.token}", timeout=PAGE_TIMEOUT)
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell", timeout=PAGE_TIMEOUT)


def _wait_notebook_ready(page: Page, path: str) -> None:
    """Wait until the notebook ``path`` is the current widget, loaded, and its kernel idle."""
    page.wait_for_function(
        """(path) => { const w = window.jupyterapp.shell.currentWidget;
                       return !!(w && w.context && w.context.path === path && w.content && w.content.widgets
                                 && w.content.widgets.length > 0 && w.context.isReady); }""",
        arg=path,
        timeout=PAGE_TIMEOUT,
    )
    wait_kernel_idle(page)


def wait_kernel_idle(page: Page, stable: float = IDLE_STABLE, timeout: int = PAGE_TIMEOUT) -> None:
    """Wait until the current notebook's kernel is ready and has stayed idle for ``stable`` seconds."""
    page.wait_for_function(
        """(stableMs) => {
             const w = window.jupyterapp.shell.currentWidget;
             const s = w && w.sessionContext; const k = s && s.session && s.session.kernel;
             const now = performance.now();
             if (!k || !s.isReady || k.status !== 'idle' || k.connectionStatus !== 'connected') {
               window.__idleSince = null; return false;
             }
             if (window.__idleSince == null) window.__idleSince = now;
             return now - window.__idleSince >= stableMs;
           }""",
        arg=stable * 1000,
        polling=100,
        timeout=timeout,
    )


def cells(page: Page) -> list[dict]:
    """The current notebook's cells: index, type, source, execution count (None if not run)."""
    return page.evaluate(
        """() => window.jupyterapp.shell.currentWidget.content.widgets.map((c, i) => ({
             index: i, type: c.model.type, source: c.model.sharedModel.getSource(),
             count: c.model.type === 'code' ? c.model.executionCount : null}))"""
    )


def cell_index(page: Page, source: str) -> int:
    """Index of the code cell whose source is ``source`` (stripped)."""
    found = [c["index"] for c in cells(page) if c["type"] == "code" and c["source"].strip() == source.strip()]
    assert len(found) == 1, f"expected exactly one code cell with source {source!r}, found {len(found)}"
    return found[0]


def cell_locator(page: Page, index: int, name: str):
    """A locator for the cell at ``index``, tagged ``data-bptest=name`` so that it survives re-rendering."""
    page.evaluate(
        "([i, name]) => window.jupyterapp.shell.currentWidget.content.widgets[i].node"
        ".setAttribute('data-bptest', name)",
        [index, name],
    )
    return page.locator(f'[data-bptest="{name}"]')


def run_all(page: Page) -> None:
    """Run All from the Run menu's command; if the first code cell has not started within a while, once more."""
    for attempt in (1, 2):
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        try:
            page.wait_for_function(
                """() => { const c = window.jupyterapp.shell.currentWidget.content.widgets
                                     .find(c => c.model.type === 'code');
                           return c.model.executionCount !== null || c.model.executionState === 'running'
                                  || (c.node.querySelector('.jp-InputPrompt') || {}).textContent === '[*]:'; }""",
                timeout=30_000 if attempt == 1 else PAGE_TIMEOUT,
            )
            return
        except Exception:
            if attempt == 2:
                raise


def wait_all_code_cells_ran(page: Page, timeout: int = PAGE_TIMEOUT) -> None:
    page.wait_for_function(
        """() => window.jupyterapp.shell.currentWidget.content.widgets
                   .filter(c => c.model.type === 'code').every(c => c.model.executionCount !== null)""",
        timeout=timeout,
    )
    wait_kernel_idle(page)
