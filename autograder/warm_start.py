"""Warm grading kernels: one zygote sandbox per grading process forks a fresh kernel per notebook.

A grading process that ``enable``s warm starts keeps one sandbox (autograder.sandbox)
whose interpreter, the zygote (autograder.grading.zygote), has imported IPython,
ipykernel, numpy, matplotlib and bpkit once. Each notebook's kernel is a fork of it,
with its own socket folder; when the notebook is done the zygote removes everything
the kernel left (processes, files, IPC objects) before it forks the next one. Any
sign of trouble (the zygote does not answer in time, a reset fails) ends that
sandbox for good, and the next notebook gets a new one: a submission can make its
own grading fail, never the next one's.

Processes that do not enable warm starts (a test calling ``grade_notebook``
directly, say) get a cold sandbox per kernel, as before.
"""

from __future__ import annotations

import json
import multiprocessing.util
import os
import select
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import psutil

from autograder.sandbox import (
    SOCKETS_INSIDE,
    Limits,
    SandboxedKernelManager,
    bwrap_command,
    kill_tree,
    limit_process,
    new_scratch,
    remove_scratch,
    sandbox_uid,
    socket_folder,
)

START_TIMEOUT = 60.0
"""Seconds a new zygote has to import what it warms (a loaded machine is slow)."""
ANSWER_TIMEOUT = 10.0
"""Seconds the zygote has to fork a kernel or to clean up after one."""

_enabled = False
_zygote: Zygote | None = None
_taking = threading.Lock()
"""Held while a thread takes the zygote: two threads of one process never share it (the other goes cold)."""


SCRATCH_KIND = "zygote"
"""The kind in a zygote's folder name (autograder.sandbox.new_scratch)."""


class ZygoteFailed(RuntimeError):
    """The zygote did not do what it was asked in time; its sandbox is gone."""


class Zygote:
    """One warm sandbox and the pipe to the interpreter in it."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.uid = sandbox_uid()
        self.outer = new_scratch(SCRATCH_KIND)
        self.folder = self.outer / "ipc"
        self.folder.mkdir(mode=0o755)  # the sandbox may enter it, not write in it: each kernel gets a folder
        self.count = 0
        self.busy = False
        argv = [sys.executable, "-m", "autograder.grading.zygote"]
        self.process = subprocess.Popen(
            bwrap_command(self.folder, limits, argv, self.uid, as_init=True),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={},
            cwd=str(self.outer),
            preexec_fn=limit_process(limits),
        )
        self._expect("ready", START_TIMEOUT)

    def kernel_manager(self) -> ForkedKernelManager:
        """A kernel manager whose kernel will be forked from this zygote, in a socket folder of its own."""
        self.count += 1
        name = f"k{self.count}"
        folder = self.folder / name
        folder.mkdir(mode=0o700)
        os.chown(folder, self.uid, -1)
        return ForkedKernelManager(self, folder, f"{SOCKETS_INSIDE}/{name}")

    def fork(self, connection_file: str) -> ForkedProcess:
        """Fork a kernel that reads this connection file (a path inside the sandbox)."""
        self._send({"fork": connection_file})
        inside = self._expect("forked", ANSWER_TIMEOUT)
        return ForkedProcess(self._host_process(inside))

    def reset(self) -> None:
        """Kill what the last kernel left and empty the scratch, or fail (and end this sandbox)."""
        self._send({"reset": True})
        self._expect("clean", ANSWER_TIMEOUT)

    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self) -> None:
        """End the sandbox and everything in it, and remove its folders."""
        kill_tree(self.process)
        for stream in (self.process.stdin, self.process.stdout):
            with suppress(OSError):
                stream.close()
        remove_scratch(self.outer)

    def _send(self, message: dict[str, Any]) -> None:
        try:
            self.process.stdin.write((json.dumps(message) + "\n").encode())
            self.process.stdin.flush()
        except (OSError, ValueError) as error:  # ValueError: its pipe was closed when it failed before
            self._fail(f"the zygote is gone ({error})")

    def _expect(self, key: str, timeout: float) -> Any:
        """The value of ``key`` in the zygote's next line, read within ``timeout`` seconds."""
        poller = select.poll()  # not select(): a worker's descriptors may number above 1024
        poller.register(self.process.stdout, select.POLLIN)
        line = self.process.stdout.readline() if poller.poll(timeout * 1000) else b""
        try:
            return json.loads(line)[key]
        except (ValueError, KeyError, TypeError):
            self._fail(f"the zygote did not answer {key!r} within {timeout:g} s")

    def _fail(self, reason: str) -> None:
        self.close()
        raise ZygoteFailed(reason)

    def _host_process(self, inside_pid: int) -> psutil.Process:
        """The forked kernel as this machine sees it (it has another pid inside the sandbox)."""
        for child in psutil.Process(self.process.pid).children(recursive=True):
            with suppress(psutil.NoSuchProcess, OSError, ValueError):
                if _innermost_pid(child.pid) == inside_pid:
                    return child
        self._fail("the forked kernel is not there")
        raise AssertionError("unreachable")


def _innermost_pid(pid: int) -> int:
    """A process's pid in its own PID namespace (the last NSpid field of /proc/PID/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("NSpid:"):
            return int(line.split()[-1])
    raise ValueError("no NSpid")


class ForkedProcess:
    """What jupyter_client needs of a kernel's process (poll, wait, kill, signals), for a forked kernel."""

    def __init__(self, process: psutil.Process) -> None:
        self.process = process
        self.pid = process.pid
        self.returncode: int | None = None
        self.stdin = self.stdout = self.stderr = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                gone = not self.process.is_running() or self.process.status() == psutil.STATUS_ZOMBIE
            except psutil.NoSuchProcess:
                gone = True
            if gone:
                self.returncode = -9
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired("forked kernel", timeout)
            time.sleep(0.01)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        with suppress(psutil.NoSuchProcess):
            self.process.send_signal(signum)

    def kill(self) -> None:
        with suppress(psutil.NoSuchProcess):
            self.process.kill()

    def terminate(self) -> None:
        with suppress(psutil.NoSuchProcess):
            self.process.terminate()


class ForkedKernelManager(SandboxedKernelManager):
    """A sandboxed kernel manager whose kernel is forked from the zygote instead of started cold."""

    def __init__(self, zygote: Zygote, socket_dir: Path, inside: str) -> None:
        super().__init__(socket_dir, zygote.limits)
        self.zygote = zygote
        self.sockets_inside = inside

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        self._write_inside_connection_file()
        return []

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: object) -> None:
        assert self.provisioner is not None
        process = self.zygote.fork(f"{self.sockets_inside}/inside.json")
        self.provisioner.process, self.provisioner.pid, self.provisioner.pgid = process, process.pid, None
        self._reconcile_connection_info(self.provisioner.connection_info)

    def destroy(self) -> None:
        """The kernel and all it started end; the zygote is ready for the next one (or ended, if it is not:
        ``_warm`` then replaces it)."""
        try:
            with suppress(ZygoteFailed):
                self.zygote.reset()
        finally:
            self.zygote.busy = False
            with suppress(OSError):
                os.chmod(self.socket_dir, 0o700)
            shutil.rmtree(self.socket_dir, ignore_errors=True)


def enable() -> None:
    """Warm starts for the sandboxed kernels of this process, from now on (a grading worker calls it)."""
    global _enabled
    _enabled = True


def disable() -> None:
    """Cold sandboxes again, and this process's zygote ended."""
    global _enabled, _zygote
    _enabled = False
    if _zygote is not None:
        _zygote.close()
        _zygote = None


def zygote_pid() -> int | None:
    """The pid of this process's warm sandbox (its bwrap), if it has one."""
    return _zygote.process.pid if _zygote is not None else None


@contextmanager
def sandboxed_kernel(limits: Limits) -> Iterator[SandboxedKernelManager]:
    """A kernel manager for one fresh sandboxed kernel: forked from this process's zygote when warm starts
    are enabled and a zygote can be had, else in a cold sandbox of its own."""
    with _taking:
        zygote = _warm(limits)
        if zygote is not None:
            zygote.busy = True
    if zygote is None:
        with socket_folder() as folder:
            km = SandboxedKernelManager(folder, limits)
            try:
                yield km
            finally:
                km.destroy()
        return
    km = zygote.kernel_manager()
    try:
        yield km
    finally:
        km.destroy()


def _warm(limits: Limits) -> Zygote | None:
    """This process's zygote for ``limits`` (a new one if it had none, or one for other limits), or None
    when warm starts are off, its zygote is in use, or a new one failed to start."""
    global _zygote
    if not _enabled or (_zygote is not None and _zygote.busy):
        return None
    if _zygote is not None and (_zygote.limits != limits or not _zygote.alive()):
        _zygote.close()
        _zygote = None
    if _zygote is None:
        try:
            _zygote = Zygote(limits)
        except ZygoteFailed:
            return None
        multiprocessing.util.Finalize(_zygote, _zygote.close, exitpriority=10)
    return _zygote
