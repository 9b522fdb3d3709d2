"""Warm kernels: forked one after another from one zygote sandbox, and nothing passes from one to the next.

Each test runs a hostile kernel, then an honest one from the same zygote, and checks
that what the first did (files, processes, IPC objects, patched modules, the zygote
itself) is gone or harmless for the second; and that solutions and sample students
get the same grades warm as cold.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import psutil
import pytest
from jupyter_core.utils import run_sync

from autograder import notebooks as nbs
from autograder import sample_class, warm_start
from autograder.grading.pipeline import grade_notebook
from autograder.paths import REPO, SOLUTIONS, assignments, notebook_files
from autograder.results import NotebookStatus
from autograder.sandbox import SOCKETS_KIND, Limits, scratch_prefix

pytestmark = pytest.mark.slow

LIMITS = Limits()
MARKER = "bpcourse-warm-start-test"


@pytest.fixture
def warm():
    warm_start.enable()  # conftest turns it off after the test


@pytest.fixture(params=[False, True], ids=["cold", "warm"])
def cold_or_warm(request):
    """Each test twice: cold sandboxes, then kernels forked from one zygote."""
    if request.param:
        warm_start.enable()  # conftest turns it off after the test


def run(code: str) -> str:
    """What ``code`` printed in a fresh kernel of this process's zygote (a cold sandbox when warm starts are off)."""
    printed: list[str] = []

    def keep(message: dict) -> None:
        if message["msg_type"] == "stream":
            printed.append(message["content"]["text"])
        elif message["msg_type"] == "error":
            printed.append("\n".join(message["content"]["traceback"]))

    with warm_start.sandboxed_kernel(LIMITS) as km:
        run_sync(km.start_kernel)()
        # the manager's own client (parent=km) knows the kernel is alive while its process runs; a standalone client
        # judges by heartbeats, and on a loaded machine one beat late by a second read as "Kernel died before replying"
        client = km.blocking_client()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=60)
            client.execute_interactive(code, timeout=60, output_hook=keep)
        finally:
            client.stop_channels()
            run_sync(km.cleanup_resources)()  # its control socket: left open, it would hang zmq's exit
    return "".join(printed)


def test_kernels_are_forked_from_one_zygote_each_in_a_process_of_its_own(warm):
    first = run("import os, sys; print(os.getpid(), os.getppid(), 'numpy' in sys.modules)")
    zygote = warm_start.zygote_pid()
    second = run("import os, sys; print(os.getpid(), os.getppid(), 'numpy' in sys.modules)")
    assert zygote is not None and warm_start.zygote_pid() == zygote
    assert first.split()[1:] == second.split()[1:] == ["1", "True"]  # a child of the zygote, numpy already there
    assert first.split()[0] != second.split()[0]


def test_a_kernel_leaves_the_zygotes_objects_to_the_zygote(warm):
    """The zygote's heap is frozen before it forks (``gc.freeze``): the kernel's collections skip it, so they
    neither spend time on it nor write to pages it shares with the zygote."""
    frozen = int(run("import gc; print(gc.get_freeze_count())"))
    assert frozen > 50_000, frozen  # numpy, matplotlib, IPython and bpkit: about 100,000 objects


WALK_SCRATCH = (
    "import os\n"
    "def scratch():\n"
    "    for root, dirs, files in os.walk('/tmp'):\n"
    "        dirs[:] = [d for d in dirs if not os.path.ismount(os.path.join(root, d))]\n"
    "        yield root, [os.path.join(root, f) for f in files]\n"
)
"""Defines scratch(): each folder of the scratch and its files, mounted folders (a course under /tmp) left out."""


def test_files_a_kernel_leaves_are_gone_for_the_next(warm):
    listing = (
        WALK_SCRATCH + "import builtins\n"
        "seen = [(p, oct(os.lstat(p).st_mode)) for root, files in scratch() for p in [root, *files]]\n"
        "print(hasattr(builtins, 'PLANTED'), os.getcwd(), sorted(seen))"
    )
    made = run(listing)  # the first kernel of a new sandbox: the scratch as bwrap made it
    planted = run(
        WALK_SCRATCH + "import pathlib\n"
        "for root, _ in list(scratch()):\n"
        "    try:\n        (pathlib.Path(root) / 'planted').write_text('x')\n    except OSError:\n        pass\n"
        "startup = pathlib.Path.home() / '.ipython/profile_default/startup'\n"
        "startup.mkdir(parents=True)\n"
        "(startup / '00-planted.py').write_text('import builtins; builtins.PLANTED = True')\n"
        "pathlib.Path('locked/deeper').mkdir(parents=True); pathlib.Path('locked/deeper/f').write_text('x')\n"
        "os.chmod('locked/deeper', 0); os.chmod('locked', 0)\n"
        "for folder in ('/tmp', '/tmp/home'):\n"
        "    try:\n        os.chmod(folder, 0o700)\n    except OSError:\n        pass\n"  # not the owner under root
        "print(sorted(os.listdir('.')), sorted(os.listdir('/tmp')))"
    )
    assert "locked" in planted and "planted" in planted
    assert run(listing) == made
    assert made.startswith("False /tmp/work [")


def test_processes_a_kernel_starts_do_not_outlive_it(warm):
    run(
        "import subprocess, sys\n"
        f"subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)', '{MARKER}'])\n"
        "daemon = 'import os, time\\nif os.fork(): os._exit(0)\\nos.setsid(); time.sleep(600)'\n"
        f"subprocess.run([sys.executable, '-c', daemon, '{MARKER}'])"  # a daemon: its parent is gone
    )
    left = [p.pid for p in psutil.process_iter(["cmdline"]) if MARKER in " ".join(p.info["cmdline"] or [])]
    assert left == []
    in_sandbox = psutil.Process(warm_start.zygote_pid()).children(recursive=True)
    assert len(in_sandbox) == 1, in_sandbox  # the zygote, the sandbox's init
    seen = run("import os; print(sorted(int(p) for p in os.listdir('/proc') if p.isdigit()), os.getpid())")
    assert seen.split("]")[0] == f"[1, {seen.split()[-1]}"  # the zygote and this kernel


def test_ipc_objects_a_kernel_makes_are_removed(warm):
    made = run(
        "import ctypes; libc = ctypes.CDLL(None)\n"
        "print(libc.shmget(0x5eed, 4096, 0o1666), libc.msgget(0x5eed, 0o1666), libc.semget(0x5eed, 1, 0o1666))"
    )
    assert all(int(handle) >= 0 for handle in made.split()), made
    seen = run("print([len(open(f'/proc/sysvipc/{k}').readlines()) - 1 for k in ('shm', 'msg', 'sem')])")
    assert seen.strip() == "[0, 0, 0]"


LEAVE_A_KEY_AND_A_QUEUE = (
    "import ctypes; libc = ctypes.CDLL(None, use_errno=True)\n"
    "key = libc.syscall(248, b'user', b'bpcourse-left', b'an answer', 9, ctypes.c_int(-4))\n"  # add_key to @u
    "queue = libc.mq_open(b'/bpcourse-left', 0o100 | 2, 0o600, None)\n"  # O_CREAT | O_RDWR
    "print(key > 0, queue >= 0)"
)
FIND_THEM = (
    "import ctypes; libc = ctypes.CDLL(None, use_errno=True)\n"
    "print(libc.syscall(249, b'user', b'bpcourse-left', None, 0) > 0, libc.mq_open(b'/bpcourse-left', 2) >= 0)"
)


def test_a_forked_kernel_handles_signals_as_a_cold_one_does():
    """The zygote drops every handler to be init; its children take them back (SIGINT, SIGCHLD)."""
    handlers = (
        "import signal\n"
        "print(sorted((int(n), getattr(h, '__name__', str(h))) for n in signal.valid_signals() "
        "if (h := signal.getsignal(n)) is not None))"
    )
    cold = run(handlers)
    warm_start.enable()  # conftest turns it off after the test
    warm = run(handlers)
    assert f"({int(signal.SIGINT)}, 'default_int_handler')" in cold  # 0 is SIG_DFL, 1 SIG_IGN
    assert f"({int(signal.SIGCHLD)}, '0')" in cold
    assert warm == cold


def test_a_grading_kernel_keeps_no_input_history(cold_or_warm):
    """No history database in the scratch, and no thread of the kernel's writing one as learner code runs."""
    found = run(
        WALK_SCRATCH + "import threading\n"
        "print(get_ipython().history_manager.enabled, [f for _, files in scratch() for f in files if 'sqlite' in f],"
        " sorted(type(t).__name__ for t in threading.enumerate() if 'History' in type(t).__name__))"
    )
    assert found == "False [] []\n"


def test_keys_and_message_queues_a_kernel_leaves_are_gone_for_the_next(cold_or_warm):
    """Keyrings live per uid, outside every namespace, and one worker's sandboxes share a uid."""
    left = run(LEAVE_A_KEY_AND_A_QUEUE)
    found = run(FIND_THEM)
    assert left.split() == ["True", "True"], left
    assert found.split() == ["False", "False"], found


def test_a_kernel_changes_only_its_own_copy_of_the_modules_and_random_state(warm):
    first = run(
        "import numpy as np, bpkit.activations\n"
        "bpkit.activations.sigmoid = lambda z: 0.5; np.mean = lambda *a, **k: 42\n"
        "print(np.random.randint(10**9))"
    )
    second = run(
        "import numpy as np, bpkit.activations\n"
        "print(np.random.randint(10**9), bpkit.activations.sigmoid(0.0), np.mean([1.0, 3.0]))"
    )
    assert second.split()[1:] == ["0.5", "2.0"]
    assert second.split()[0] != first.strip()  # each kernel draws its own random state


def test_the_zygote_cannot_be_traced_read_or_written_through_proc(warm):
    tried = run(
        "import os\n"
        "for path, mode in [('/proc/1/mem', 'rb'), ('/proc/1/environ', 'rb'), ('/proc/1/fd/1', 'wb'), "
        "('/proc/1/fd/0', 'rb')]:\n"
        "    try:\n"
        "        open(path, mode).close(); print('opened', path)\n"
        "    except OSError as error:\n"
        "        print('refused', path, type(error).__name__)\n"
        "import ctypes; libc = ctypes.CDLL(None, use_errno=True)\n"
        "print('ptrace', libc.ptrace(16, 1, 0, 0), ctypes.get_errno())"  # PTRACE_ATTACH
    )
    assert "opened" not in tried, tried
    assert tried.count("refused") == 4
    assert "ptrace -1" in tried


@pytest.mark.parametrize(
    "attack",
    [
        "os.kill(1, signal.SIGKILL)",
        "os.kill(1, signal.SIGSTOP)",
        "os.kill(-1, signal.SIGKILL) if os.fork() else os.pause()",  # a child to kill: else kill(-1) finds none
        "[os.kill(1, n) for n in signal.valid_signals() if n not in (signal.SIGKILL, signal.SIGSTOP)]",
    ],
)
def test_a_kernel_can_neither_kill_nor_stop_the_zygote(warm, attack):
    run("print('warm')")
    zygote = warm_start.zygote_pid()
    after = run(f"import os, signal\n{attack}\nprint('kernel', os.getpid(), 'survived')")
    assert after.split()[0::2] == ["kernel", "survived"]  # kill(-1) spares the caller; the zygote ignored the rest
    assert run("print(6 * 7)").strip() == "42"
    assert warm_start.zygote_pid() == zygote  # the same sandbox forked the next kernel


def test_a_zygote_that_fails_is_replaced_by_a_new_sandbox(warm):
    run("print('warm')")
    first = warm_start.zygote_pid()
    sandbox = psutil.Process(first)
    sandbox.children()[0].kill()  # the zygote, killed from outside: the namespace ends with it
    sandbox.wait(timeout=10)
    assert run("print(6 * 7)").strip() == "42"
    assert warm_start.zygote_pid() not in (None, first)
    assert not psutil.pid_exists(first) or psutil.Process(first).status() == psutil.STATUS_ZOMBIE


KEEP_A_SANDBOX = (
    "import sys\n"
    "from autograder import warm_start\n"
    "from autograder.sandbox import Limits\n"
    "if sys.argv[1] == 'warm':\n"
    "    warm_start.enable()\n"
    "with warm_start.sandboxed_kernel(Limits()) as km:\n"
    "    print(km.connection_file, flush=True)\n"
    "    input()\n"
)


@pytest.mark.parametrize("start", ["cold", "warm"])
def test_the_folder_of_a_grader_killed_with_sigkill_is_removed_by_the_next_sandbox(start):
    """A grader killed with SIGKILL leaves its sandbox's folder; the next sandbox of that kind on the machine
    removes it (the sandbox died with its grader), and never the folder of a grader still running."""
    keep = [sys.executable, "-c", KEEP_A_SANDBOX, start]
    grader = subprocess.Popen(keep, cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert grader.stdout.readline()
        running = subprocess.Popen(keep, cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert running.stdout.readline()
    finally:
        grader.kill()
        grader.wait()
    kind = warm_start.SCRATCH_KIND if start == "warm" else SOCKETS_KIND
    scratch, prefix = Path(tempfile.gettempdir()), scratch_prefix(kind)
    (left,) = scratch.glob(f"{prefix}{grader.pid}-*")
    if start == "warm":
        warm_start.enable()  # conftest turns it off after the test
    try:
        assert run("print(6 * 7)").strip() == "42"
        assert not left.exists()
        assert list(scratch.glob(f"{prefix}{running.pid}-*"))
        if start == "warm":  # this process's zygote is still up; a cold sandbox is gone with its kernel
            assert list(scratch.glob(f"{prefix}{os.getpid()}-*"))
    finally:
        running.communicate(b"\n", timeout=60)
    assert not list(scratch.glob(f"{prefix}{running.pid}-*")), "a grader that ends removes its own"


def test_a_grading_process_holds_no_more_file_descriptors_after_many_notebooks(cold_or_warm):
    """nbclient leaves a given kernel manager's sockets open; a worker grading hundreds would run out. (What
    the notebook holds does not matter: each grading starts and ends one kernel, its sockets and its files.)"""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import numpy as np\nprint(np.ones(3))")])
    held = []
    for _ in range(4):
        grade_notebook(nb, nb, timeout=30, sandbox=LIMITS)
        held.append(psutil.Process().num_fds())
    assert held[3] == held[1], held  # the first notebook may open what stays for good (imports, caches)


def test_sample_students_get_the_same_grades_warm_and_cold(tmp_path):
    """Typical mistakes in every notebook, half-done work, a kernel that exits and the sample class's
    attacks (one kills every process it sees): the same cell by cell."""
    sample_class.write(sample_class.build(attacks=True), tmp_path)
    sources = {name: nbs.read(notebook_files(name, SOLUTIONS)[0]) for name in assignments(SOLUTIONS)}
    paths = sorted(tmp_path.glob("s04-mistakes/*/*.ipynb"))
    paths += sorted(tmp_path.glob("s07-kernel-exit/*/*.ipynb")) + sorted(tmp_path.glob("s03-half/*/*.ipynb"))[:1]
    attacks = [path for name in sample_class.DEMO_ATTACKS for path in sorted(tmp_path.glob(f"s*-{name}/*/*.ipynb"))]
    paths += attacks
    assert len(paths) == len(sources) + 2 + len(sample_class.DEMO_ATTACKS)

    def grades() -> list:
        return [
            (r.status, r.error, [(c.grade_id, c.points, c.status, c.message) for c in r.cells])
            for r in (grade_notebook(path, sources[path.parent.name], timeout=30, sandbox=LIMITS) for path in paths)
        ]

    cold = grades()
    warm_start.enable()  # conftest turns it off after the test
    warm = grades()
    zygote = warm_start.zygote_pid()
    assert zygote is not None
    assert warm == cold
    assert NotebookStatus.KERNEL_DIED in [status for status, _, _ in warm]
