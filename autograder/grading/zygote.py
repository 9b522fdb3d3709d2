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
* files: the scratch /tmp is emptied; the folders bwrap made in it (HOME, the
  working directory, the folders above a course that lives under /tmp) stay,
  empty and with their own permissions, and its mount points are left alone;
* IPC objects are removed: System V ones (``ipcrm --all``) and POSIX message
  queues (/dev/mqueue); /dev/shm is read-only;
* keyrings: each child joins a new session keyring and empties its uid's user
  keyrings before the kernel starts (autograder.grading.kernel_start).

The zygote is the sandbox's init (pid 1, bwrap's ``--as-pid-1``) with no signal
handlers: the kernel delivers to a PID namespace's init, from inside it, only
signals it handles, so no child can kill or stop it, and ``kill(-1)`` from a
child spares it. It ignores SIGCHLD, so the orphans it inherits are reaped
without a wait. It is not dumpable, so its children, which run as the same uid,
can neither trace it nor open its file descriptors through /proc. A child closes
every descriptor it inherited and takes back Python's own signal handling before
the kernel starts. If the zygote still fails to answer in time, the grader
replaces the whole sandbox (autograder.warm_start).

Protocol, one JSON object per line: the zygote writes ``{"ready": true}`` once
warm; then ``{"fork": CONNECTION_FILE}`` is answered with ``{"forked": PID}``
(the child's pid in the sandbox) and ``{"reset": true}`` with ``{"clean": true}``.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import importlib
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any

from autograder.grading.kernel_start import fresh_keyrings, launch

WARM_MODULES = (
    "numpy",
    "numpy.random",
    "matplotlib.pyplot",
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.debugger",
    "IPython.core.completerlib",
    "IPython.core.debugger",
    "IPython.core.logger",
    "IPython.core.oinspect",
    "IPython.extensions.storemagic",
    "importlib.readers",
    "sqlite3",
    "tornado.platform.asyncio",
    "autograder.grading.agent",
)
"""Imported once, before any fork, with every bpkit module but those in COLD: the modules a kernel needs,
including those IPython only imports as its shell starts (its debugger, history database, inspector and its
themes' resources), so that no child loads them again."""

COLD = ("bpkit.widgets",)
"""Left to the kernel: ipywidgets hooks into the running IPython when first imported, and there is none yet."""

SCRATCH = "/tmp"
SCRATCH_FOLDERS = ("/tmp/home", "/tmp/work", "/tmp/home/.cache", "/tmp/home/.cache/matplotlib")
"""Folders bwrap makes in the scratch /tmp (autograder.sandbox): HOME, the working directory, and
matplotlib's cache, where the grader lends its font list."""

MQUEUE = "/dev/mqueue"
"""Where the sandbox's POSIX message queues show (bwrap mounts it)."""
PR_SET_DUMPABLE = 4
GONE_WITHIN = 5.0
"""Seconds the processes of a finished notebook have to disappear."""


def main() -> None:
    """Warm up, then answer the grader's requests on stdin until it closes them."""
    _warm_up()
    handlers = _become_init()
    if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "cannot make the zygote undumpable")
    scratch = Scratch.as_made()
    reset(scratch)  # what warming up wrote (matplotlib's config folder) goes: each child starts from the same
    _freeze_heap()
    requests, replies = sys.stdin, sys.stdout
    _reply(replies, {"ready": True})
    for line in requests:
        request = json.loads(line)
        if "fork" in request:
            _reply(replies, {"forked": fork_kernel(str(request["fork"]), handlers)})
        elif request.get("reset"):
            reset(scratch)
            _reply(replies, {"clean": True})


def _warm_up() -> None:
    import bpkit

    for name in (*WARM_MODULES, *(f"bpkit.{module}" for module in bpkit._SUBMODULES)):
        if name not in COLD:
            importlib.import_module(name)


def _freeze_heap() -> None:
    """Move every object the zygote holds out of the garbage collector's sight (``gc.freeze``), so that a child's
    collections neither walk nor write to them: a written page is copied, and without this each kernel copies
    most of the zygote's heap (about 0.07 s of CPU per graded notebook)."""
    gc.collect()
    gc.freeze()


def _become_init() -> dict[int, Any]:
    """No handler for any signal (a child could otherwise trigger it), and orphans reaped by the kernel;
    returns what it changed, by signal, for the children to take back."""
    changed = {signal.SIGCHLD: signal.getsignal(signal.SIGCHLD)}
    for number in signal.valid_signals():
        handler = signal.getsignal(number)
        if callable(handler):
            changed[number] = handler
            signal.signal(number, signal.SIG_DFL)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    return changed


def _restore(handlers: dict[int, Any]) -> None:
    """In a child: the signal handling the interpreter had before the zygote became init (SIGINT raises
    KeyboardInterrupt, SIGCHLD is not ignored)."""
    for number, handler in handlers.items():
        signal.signal(number, handler)


def _reply(stream, message: dict) -> None:
    stream.write(json.dumps(message) + "\n")
    stream.flush()


def fork_kernel(connection_file: str, handlers: dict[int, Any]) -> int:
    """Fork a child that becomes a kernel with this connection file; its pid."""
    if _threads() != 1:  # a fork copies only the calling thread: a lock held by another would stay held
        raise RuntimeError(f"the zygote runs {_threads()} threads; it forks only with one")
    pid = os.fork()
    if pid:
        return pid
    try:
        _become_kernel(connection_file, handlers)
    finally:
        os._exit(1)


def _become_kernel(connection_file: str, handlers: dict[int, Any]) -> None:
    """In the child: drop what came from the zygote, then run the kernel until it is shut down."""
    os.setsid()
    _restore(handlers)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.closerange(3, os.sysconf("SC_OPEN_MAX"))
    os.chdir(SCRATCH_FOLDERS[1])
    sys.stdin = open(os.devnull)  # noqa: SIM115 - the child's own, for life
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115
    _reseed()
    fresh_keyrings()
    import ipykernel.kernelapp

    sys.argv = [ipykernel.kernelapp.__file__, "-f", connection_file]
    launch(sys.argv[1:])
    os._exit(0)


def _reseed() -> None:
    """Random state as a fresh interpreter has it: each child draws its own (Python's random reseeds itself)."""
    import numpy as np

    np.random.seed()


def _threads() -> int:
    return len(os.listdir("/proc/self/task"))


@dataclass(frozen=True)
class Scratch:
    """What of the scratch belongs to the sandbox itself, as bwrap made it: reset keeps it."""

    mounts: frozenset[str]
    """Mount points under the scratch (a course under /tmp, the font list the grader lends)."""
    folders: dict[str, int]
    """The scratch, SCRATCH_FOLDERS and the folders above a mount point, with their permission bits."""

    @classmethod
    def as_made(cls) -> Scratch:
        """The scratch as it is before any child ran."""
        mounts = frozenset(path for path in _mount_points() if path.startswith(SCRATCH + "/"))
        folders = {SCRATCH, *SCRATCH_FOLDERS, *(parent for path in mounts for parent in _parents_in_scratch(path))}
        return cls(mounts, {folder: stat.S_IMODE(os.stat(folder).st_mode) for folder in folders})


def _mount_points() -> list[str]:
    """Every mount point of this mount namespace (field 5 of /proc/self/mountinfo, octal escapes decoded)."""
    with open("/proc/self/mountinfo") as table:
        fields = [line.split()[4] for line in table]
    return [re.sub(r"\\([0-7]{3})", lambda code: chr(int(code[1], 8)), field) for field in fields]


def _parents_in_scratch(path: str) -> list[str]:
    parents = []
    while (path := os.path.dirname(path)) != SCRATCH:
        parents.append(path)
    return parents


def reset(scratch: Scratch) -> None:
    """Remove everything a finished notebook left in the sandbox: its processes, files and IPC objects."""
    with contextlib.suppress(ProcessLookupError):  # none left to kill
        os.kill(-1, signal.SIGKILL)  # every process but the zygote, the sandbox's init
    deadline = time.monotonic() + GONE_WITHIN
    while _others() and time.monotonic() < deadline:
        time.sleep(0.005)
    if _others():
        raise RuntimeError("processes of the last notebook are still there")
    _empty(SCRATCH, scratch)
    os.chdir(SCRATCH_FOLDERS[1])
    _remove_ipc()


def _others() -> list[int]:
    """The sandbox's processes other than the zygote (killed ones vanish: the zygote ignores SIGCHLD)."""
    return [pid for pid in (int(n) for n in os.listdir("/proc") if n.isdigit()) if pid != os.getpid()]


def _empty(folder: str, scratch: Scratch) -> None:
    """Delete everything under ``folder`` but the sandbox's own folders, which get their permissions back
    and are emptied in turn, and its mount points."""
    if stat.S_IMODE(os.stat(folder).st_mode) != scratch.folders[folder]:  # changed: by its owner, the zygote's uid
        os.chmod(folder, scratch.folders[folder])
    for entry in os.scandir(folder):
        if entry.path in scratch.mounts:
            continue
        if entry.path in scratch.folders:
            _empty(entry.path, scratch)
        elif entry.is_dir(follow_symlinks=False):
            _make_removable(entry.path)
            shutil.rmtree(entry.path)
        else:
            os.unlink(entry.path)


def _make_removable(folder: str) -> None:
    """A child may have taken its own folders' permissions away; the zygote, their owner, gives them back."""
    os.chmod(folder, 0o700)
    for root, dirs, _ in os.walk(folder):
        for name in dirs:
            path = os.path.join(root, name)
            if not os.path.islink(path):
                os.chmod(path, 0o700)


def _remove_ipc() -> None:
    """Remove every POSIX message queue and System V IPC object (SIGCHLD is handled for the while, to learn
    ipcrm's exit status)."""
    for queue in os.scandir(MQUEUE):
        os.unlink(queue.path)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    try:
        subprocess.run(["ipcrm", "--all"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    finally:
        signal.signal(signal.SIGCHLD, signal.SIG_IGN)


if __name__ == "__main__":
    main()
