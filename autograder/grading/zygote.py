"""Runs inside a grading sandbox: a warm interpreter that forks one fresh kernel per notebook.

Starting a kernel from a cold interpreter (Python, IPython, ipykernel, numpy,
matplotlib, bpkit) costs about a second of CPU per graded notebook. The zygote
pays it once: it imports those modules, runs no learner code ever, and for each
notebook forks a child that becomes the kernel. The child is a copy of a pristine
process, so no state passes from one submission to the next through memory; what
could pass through the sandbox it shares with earlier children is removed by
``reset`` before the next fork:

* processes: every process in the sandbox but the zygote is killed (``kill(-1)``
  is atomic against forks) and the zygote waits until they are gone;
* files: the scratch /tmp is emptied (the folders bwrap made in it stay, empty);
* System V IPC objects are removed (``ipcrm --all``); /dev/shm is read-only.

The zygote is not dumpable, so its children, which run as the same uid, can
neither trace it nor open its file descriptors through /proc. A child closes
every descriptor it inherited before the kernel starts. If a child stops or kills
the zygote, the grader's next request gets no answer in time and the grader
replaces the whole sandbox (autograder.warm_start).

Protocol, one JSON object per line: the zygote writes ``{"ready": true}`` once
warm; then ``{"fork": CONNECTION_FILE}`` is answered with ``{"forked": PID}``
(the child's pid in the sandbox) and ``{"reset": true}`` with ``{"clean": true}``.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import importlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time

WARM_MODULES = (
    "numpy",
    "numpy.random",
    "matplotlib.pyplot",
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.debugger",
    "autograder.grading.agent",
)
"""Imported once, before any fork, with every bpkit module but those in COLD."""

COLD = ("bpkit.widgets",)
"""Left to the kernel: ipywidgets hooks into the running IPython when first imported, and there is none yet."""

SCRATCH = "/tmp"
SCRATCH_FOLDERS = ("/tmp/home", "/tmp/work", "/tmp/home/.cache", "/tmp/home/.cache/matplotlib")
"""Folders bwrap makes in the scratch /tmp (autograder.sandbox): HOME, the working directory, and
matplotlib's cache, where the grader lends its font list."""

PR_SET_DUMPABLE = 4
GONE_WITHIN = 5.0
"""Seconds the processes of a finished notebook have to disappear."""


def main() -> None:
    """Warm up, then answer the grader's requests on stdin until it closes them."""
    _warm_up()
    if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "cannot make the zygote undumpable")
    requests, replies = sys.stdin, sys.stdout
    _reply(replies, {"ready": True})
    for line in requests:
        request = json.loads(line)
        if "fork" in request:
            _reply(replies, {"forked": fork_kernel(str(request["fork"]))})
        elif request.get("reset"):
            reset()
            _reply(replies, {"clean": True})


def _warm_up() -> None:
    import bpkit

    for name in (*WARM_MODULES, *(f"bpkit.{module}" for module in bpkit._SUBMODULES)):
        if name not in COLD:
            importlib.import_module(name)


def _reply(stream, message: dict) -> None:
    stream.write(json.dumps(message) + "\n")
    stream.flush()


def fork_kernel(connection_file: str) -> int:
    """Fork a child that becomes a kernel with this connection file; its pid."""
    if _threads() != 1:  # a fork copies only the calling thread: a lock held by another would stay held
        raise RuntimeError(f"the zygote runs {_threads()} threads; it forks only with one")
    pid = os.fork()
    if pid:
        return pid
    try:
        _become_kernel(connection_file)
    finally:
        os._exit(1)


def _become_kernel(connection_file: str) -> None:
    """In the child: drop what came from the zygote, then run the kernel until it is shut down."""
    os.setsid()
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.closerange(3, os.sysconf("SC_OPEN_MAX"))
    os.chdir(SCRATCH_FOLDERS[1])
    sys.stdin = open(os.devnull)  # noqa: SIM115 - the child's own, for life
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115
    _reseed()
    import ipykernel.kernelapp

    sys.argv = [ipykernel.kernelapp.__file__, "-f", connection_file]
    ipykernel.kernelapp.launch_new_instance()
    os._exit(0)


def _reseed() -> None:
    """Random state as a fresh interpreter has it: each child draws its own (Python's random reseeds itself)."""
    import numpy as np

    np.random.seed()


def _threads() -> int:
    return len(os.listdir("/proc/self/task"))


def reset() -> None:
    """Remove everything a finished notebook left in the sandbox: its processes, files and IPC objects."""
    with contextlib.suppress(ProcessLookupError):  # none left to kill
        os.kill(-1, signal.SIGKILL)  # every process this one may signal, but itself and the sandbox's init
    deadline = time.monotonic() + GONE_WITHIN
    while _others() and time.monotonic() < deadline:
        _reap()
        time.sleep(0.005)
    _reap()
    if _others():
        raise RuntimeError("processes of the last notebook are still there")
    _empty(SCRATCH)
    os.chdir(SCRATCH_FOLDERS[1])
    subprocess.run(["ipcrm", "--all"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _others() -> list[int]:
    """The sandbox's processes other than its init (pid 1) and the zygote."""
    me = os.getpid()
    return [pid for pid in (int(n) for n in os.listdir("/proc") if n.isdigit()) if pid not in (1, me)]


def _reap() -> None:
    """Collect the zygote's exited children (orphans go to the sandbox's init, which collects them)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _empty(folder: str) -> None:
    """Delete everything under ``folder`` but the sandbox's own folders (SCRATCH_FOLDERS, which bwrap made
    as root and which the zygote empties) and mount points (the font list the grader lends)."""
    for entry in os.scandir(folder):
        if os.path.ismount(entry.path):
            continue
        if entry.path in SCRATCH_FOLDERS:
            _empty(entry.path)
            continue
        if entry.is_dir(follow_symlinks=False):
            _make_removable(entry.path)
            shutil.rmtree(entry.path, onerror=_unless_mounted)
        else:
            os.unlink(entry.path)
    left = [path for path in _files(folder) if not os.path.ismount(path)]
    if left and folder == SCRATCH:
        raise RuntimeError(f"could not empty the scratch: {left[:3]}")


def _unless_mounted(function, path: str, error: tuple) -> None:
    """rmtree's error handler: a mount point, and the folders holding one, stay; any other failure is raised."""
    if isinstance(error[1], OSError) and error[1].errno in (errno.EBUSY, errno.ENOTEMPTY):
        return
    raise error[1]


def _files(folder: str) -> list[str]:
    return [os.path.join(root, name) for root, _, names in os.walk(folder) for name in names]


def _make_removable(folder: str) -> None:
    """A child may have taken its own folders' permissions away; the zygote, their owner, gives them back."""
    os.chmod(folder, 0o700)
    for root, dirs, _ in os.walk(folder):
        for name in dirs:
            path = os.path.join(root, name)
            if not os.path.islink(path):
                os.chmod(path, 0o700)


if __name__ == "__main__":
    main()
