"""``bpcourse lab``: JupyterLab on ``course/`` for a learner, and the launcher the browser tests reuse.

What a learner gets (nothing to install beyond ``make lab``, which builds the venv):

- JupyterLab 4 on ``course/`` with the ipywidgets manager (sliders work) and
  nbgrader's **Validate** button in the notebook toolbar;
- no news or update pop-ups: ``--LabApp.news_url=None``, ``NeverCheckForUpdate``
  and the notification settings ``fetchNews: "false"``, ``checkForUpdates: false``;
- widget state saved into the notebook (``saveState: true``), so a notebook
  reopened later shows its widgets' last state instead of an error;
- nbgrader's instructor-only UI (Formgrader, Create Assignment, Course List)
  switched off, in the browser and on the server, and so is the Assignment List:
  the course hands notebooks out as files, with no nbgrader exchange for it to
  list (it would only say "exchange directory does not exist").

These settings live in a *learner configuration directory* put on
``JUPYTER_CONFIG_PATH`` for this server only (``labconfig/page_config.json``,
``labconfig/default_setting_overrides.json``,
``jupyter_server_config.d/bpcourse-learner.json``): a plain ``jupyter lab``
from the same venv, for an instructor, still has formgrader.

``lab_command`` builds the argv and environment for any notebook folder, port,
token and HOME/JUPYTER_* folders; ``LabServer`` starts it in its own process
group, waits until it answers and stops it together with its kernels.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

NOTIFICATION_PLUGIN = "@jupyterlab/apputils-extension:notification"
WIDGETS_PLUGIN = "@jupyter-widgets/jupyterlab-manager:plugin"

SETTINGS_OVERRIDES: dict[str, dict] = {
    # fetchNews is a string in the schema: "true", "false" or "none" (= ask with a toast on first start)
    NOTIFICATION_PLUGIN: {"fetchNews": "false", "checkForUpdates": False},
    WIDGETS_PLUGIN: {"saveState": True},
}
"""Defaults the learner's JupyterLab starts with (a learner's own settings still win)."""

INSTRUCTOR_LAB_PLUGINS = (
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:course-list",
    "@jupyter/nbgrader:assignment-list",
)
"""nbgrader's browser plugins a learner has no use for here; Validate stays."""

INSTRUCTOR_SERVER_EXTENSIONS = (
    "nbgrader.server_extensions.formgrader",
    "nbgrader.server_extensions.course_list",
    "nbgrader.server_extensions.assignment_list",
)
"""Their server halves (formgrader alone takes seconds to import)."""

DEFAULT_PORT = 8888


@dataclass(frozen=True)
class LabCommand:
    """How to start one JupyterLab server: ``subprocess.Popen(cmd.argv, env=cmd.env)``."""

    argv: list[str]
    env: dict[str, str]
    url: str
    """The address to open, token included."""
    base: str
    """``http://host:port``, for the REST API."""
    token: str


def write_learner_config(config_dir: Path) -> Path:
    """Write the learner configuration directory (see the module docstring); return it."""
    config_dir = Path(config_dir)
    labconfig = config_dir / "labconfig"
    server_d = config_dir / "jupyter_server_config.d"
    labconfig.mkdir(parents=True, exist_ok=True)
    server_d.mkdir(parents=True, exist_ok=True)
    files = {
        labconfig / "default_setting_overrides.json": SETTINGS_OVERRIDES,
        labconfig / "page_config.json": {"disabledExtensions": {name: True for name in INSTRUCTOR_LAB_PLUGINS}},
        server_d / "bpcourse-learner.json": {
            "ServerApp": {"jpserver_extensions": {name: False for name in INSTRUCTOR_SERVER_EXTENSIONS}}
        },
    }
    for path, content in files.items():
        path.write_text(json.dumps(content, indent=2) + "\n", encoding="utf-8")
    return config_dir


def free_port(start: int | None = None, host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on: the first free one from ``start``, or any the OS picks."""
    candidates = range(start, start + 100) if start else [0]
    for port in candidates:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind((host, port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise RuntimeError(f"no free port in {candidates}")


def lab_command(
    notebook_dir: Path,
    *,
    port: int,
    token: str,
    learner_config: Path,
    ip: str = "localhost",
    extra_env: Mapping[str, str] | None = None,
    open_browser: bool = False,
    extra_args: Sequence[str] = (),
    base_env: Mapping[str, str] | None = None,
) -> LabCommand:
    """argv and environment of a learner's JupyterLab on ``notebook_dir``.

    ``learner_config`` is a folder written by ``write_learner_config``; it goes first
    on ``JUPYTER_CONFIG_PATH``. ``extra_env`` is set last (the browser tests give
    the server a HOME and Jupyter folders of its own); without it the user's are used.
    """
    env = dict(os.environ if base_env is None else base_env)
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
        [str(learner_config), *filter(None, env.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep))]
    )
    env.pop("JUPYTER_TOKEN", None)
    env.update(extra_env or {})
    argv = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={Path(notebook_dir).resolve()}",
        f"--ServerApp.ip={ip}",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.open_browser={open_browser}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.append("--allow-root")
    argv.extend(extra_args)
    base = f"http://{'localhost' if ip in ('', '0.0.0.0', '::') else ip}:{port}"
    return LabCommand(argv=argv, env=env, url=f"{base}/lab?token={token}", base=base, token=token)


@dataclass
class LabServer:
    """One JupyterLab server in its own process group; ``stop`` also ends the kernels it started."""

    command: LabCommand
    log_path: Path | None = None
    process: subprocess.Popen | None = field(default=None, init=False)

    def start(self) -> LabServer:
        log = open(self.log_path, "ab") if self.log_path else None  # noqa: SIM115 - closed in stop()
        self._log = log
        self.process = subprocess.Popen(
            self.command.argv,
            env=self.command.env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT if log else None,
            start_new_session=True,
        )
        return self

    def answers(self) -> bool:
        """True once the REST API answers an authenticated request."""
        request = urllib.request.Request(
            f"{self.command.base}/api/status", headers={"Authorization": f"token {self.command.token}"}
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def wait_until_ready(self, timeout: float = 300.0) -> None:
        """Poll until the server answers; fail early, with the log, if it exits instead."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"JupyterLab exited with code {self.process.returncode} before answering{self._log_tail()}"
                )
            if self.answers():
                return
            time.sleep(0.25)
        raise TimeoutError(f"JupyterLab did not answer at {self.command.base} within {timeout:.0f} s{self._log_tail()}")

    def _log_tail(self) -> str:
        if not self.log_path or not Path(self.log_path).exists():
            return ""
        return "; its log ends with:\n" + "\n".join(Path(self.log_path).read_text(errors="replace").splitlines()[-30:])

    def stop(self, timeout: float = 60.0) -> None:
        """SIGTERM the server's process group (it shuts its kernels down), then SIGKILL whatever is left,
        including kernels, which jupyter_client starts in sessions of their own."""
        import psutil

        process = self.process
        if process is None:
            return
        try:
            tree = [psutil.Process(process.pid), *psutil.Process(process.pid).children(recursive=True)]
        except psutil.NoSuchProcess:
            tree = []
        if process.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            with suppress(subprocess.TimeoutExpired):
                process.wait(timeout=timeout)
        for member in tree:  # psutil.Process remembers its start time: a reused pid is left alone
            with suppress(psutil.NoSuchProcess):
                member.kill()
        psutil.wait_procs(tree, timeout=10)
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)
        if getattr(self, "_log", None):
            self._log.close()
        self.process = None


def banner(url: str, notebook_dir: Path) -> str:
    line = "=" * 78
    return (
        f"\n{line}\n JupyterLab is running on {notebook_dir}.\n Open this address in your browser"
        f" (it includes your access token):\n\n     {url}\n\n Stop it with Ctrl-C; save your notebooks"
        f" first (File > Save, or Ctrl-S).\n{line}\n"
    )


def run_lab(notebook_dir: Path, port: int | None = None, open_browser: bool = True) -> int:
    """Start the learner's JupyterLab in the foreground, print its URL once it answers, stop it on Ctrl-C."""
    with tempfile.TemporaryDirectory(prefix="bpcourse-lab-") as tmp:
        command = lab_command(
            notebook_dir,
            port=port or free_port(DEFAULT_PORT),
            token=secrets.token_hex(24),
            learner_config=write_learner_config(Path(tmp) / "learner-config"),
            open_browser=open_browser,
        )
        server = LabServer(command).start()
        try:
            server.wait_until_ready()
            print(banner(command.url, notebook_dir), flush=True)
            return server.process.wait()
        except KeyboardInterrupt:
            print("\nStopping JupyterLab (and its kernels)...", file=sys.stderr, flush=True)
            return 0
        except (RuntimeError, TimeoutError) as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        finally:
            server.stop()
