"""Warm kernels: forked one after another from one zygote sandbox, and nothing passes from one to the next.

Each test runs a hostile kernel, then an honest one from the same zygote, and checks
that what the first did (files, processes, IPC objects, patched modules, the zygote
itself) is gone or harmless for the second; and that solutions and sample students
get the same grades warm as cold.
"""

from __future__ import annotations

import psutil
import pytest
from jupyter_client import BlockingKernelClient
from jupyter_core.utils import run_sync

from autograder import notebooks as nbs
from autograder import sample_class, warm_start
from autograder.grading.pipeline import grade_notebook
from autograder.paths import SOLUTIONS, assignments, notebook_files
from autograder.results import NotebookStatus
from autograder.sandbox import Limits

pytestmark = pytest.mark.slow

LIMITS = Limits()
MARKER = "bpcourse-warm-start-test"


@pytest.fixture
def warm():
    warm_start.enable()
    yield
    warm_start.disable()


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
        client = BlockingKernelClient()
        client.load_connection_info(km.get_connection_info())
        client.start_channels()
        try:
            client.wait_for_ready(timeout=60)
            client.execute_interactive(code, timeout=60, output_hook=keep)
        finally:
            client.stop_channels()
    return "".join(printed)


def test_kernels_are_forked_from_one_zygote_each_in_a_process_of_its_own(warm):
    first = run("import os, sys; print(os.getpid(), os.getppid(), 'numpy' in sys.modules)")
    zygote = warm_start.zygote_pid()
    second = run("import os, sys; print(os.getpid(), os.getppid(), 'numpy' in sys.modules)")
    assert zygote is not None and warm_start.zygote_pid() == zygote
    assert first.split()[1:] == second.split()[1:] == ["2", "True"]  # a child of the zygote, numpy already there
    assert first.split()[0] != second.split()[0]


def test_files_a_kernel_leaves_are_gone_for_the_next(warm):
    planted = run(
        "import os, pathlib\n"
        "startup = pathlib.Path.home() / '.ipython/profile_default/startup'\n"
        "startup.mkdir(parents=True)\n"
        "(startup / '00-planted.py').write_text('import builtins; builtins.PLANTED = True')\n"
        "pathlib.Path('locked/deeper').mkdir(parents=True); pathlib.Path('locked/deeper/f').write_text('x')\n"
        "os.chmod('locked/deeper', 0); os.chmod('locked', 0)\n"
        "pathlib.Path('/tmp/loose').write_text('x'); print(sorted(os.listdir('.')))"
    )
    assert "locked" in planted
    after = run(
        "import builtins, os\n"
        "print(hasattr(builtins, 'PLANTED'), os.getcwd(), sorted(os.listdir('/tmp')), os.listdir('.'), "
        "sorted(os.listdir(os.path.expanduser('~'))))"
    )
    assert after.strip() == "False /tmp/work ['home', 'work'] [] ['.cache', '.ipython']"


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
    assert len(in_sandbox) == 2, in_sandbox  # the sandbox's init and the zygote
    seen = run("import os; print(sorted(int(p) for p in os.listdir('/proc') if p.isdigit()), os.getpid())")
    assert seen.split("]")[0] == f"[1, 2, {seen.split()[-1]}"  # the sandbox's init, the zygote, this kernel


def test_ipc_objects_a_kernel_makes_are_removed(warm):
    made = run(
        "import ctypes; libc = ctypes.CDLL(None)\n"
        "print(libc.shmget(0x5eed, 4096, 0o1666), libc.msgget(0x5eed, 0o1666), libc.semget(0x5eed, 1, 0o1666))"
    )
    assert all(int(handle) >= 0 for handle in made.split()), made
    seen = run("print([len(open(f'/proc/sysvipc/{k}').readlines()) - 1 for k in ('shm', 'msg', 'sem')])")
    assert seen.strip() == "[0, 0, 0]"


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
        "for path, mode in [('/proc/2/mem', 'rb'), ('/proc/2/environ', 'rb'), ('/proc/2/fd/1', 'wb'), "
        "('/proc/2/fd/0', 'rb')]:\n"
        "    try:\n"
        "        open(path, mode).close(); print('opened', path)\n"
        "    except OSError as error:\n"
        "        print('refused', path, type(error).__name__)\n"
        "import ctypes; libc = ctypes.CDLL(None, use_errno=True)\n"
        "print('ptrace', libc.ptrace(16, 2, 0, 0), ctypes.get_errno())"  # PTRACE_ATTACH
    )
    assert "opened" not in tried, tried
    assert tried.count("refused") == 4
    assert "ptrace -1" in tried


@pytest.mark.parametrize("attack", ["os.kill(2, signal.SIGKILL)", "os.kill(2, signal.SIGSTOP)"])
def test_a_kernel_that_kills_or_stops_the_zygote_costs_only_that_zygote(warm, attack):
    run("print('warm')")
    first = warm_start.zygote_pid()
    run("import os, signal\n" + attack)
    assert run("print(6 * 7)").strip() == "42"
    assert warm_start.zygote_pid() not in (None, first)  # a new sandbox replaced the one it broke
    assert not psutil.pid_exists(first) or psutil.Process(first).status() == psutil.STATUS_ZOMBIE


def test_sample_students_get_the_same_grades_warm_and_cold(tmp_path):
    """Typical mistakes in every notebook, half-done work, and a kernel that exits: the same cell by cell."""
    sample_class.write(sample_class.build(attacks=False), tmp_path)
    sources = {name: nbs.read(notebook_files(name, SOLUTIONS)[0]) for name in assignments(SOLUTIONS)}
    paths = sorted(tmp_path.glob("s04-mistakes/*/*.ipynb"))
    paths += sorted(tmp_path.glob("s07-kernel-exit/*/*.ipynb"))[1:2] + sorted(tmp_path.glob("s03-half/*/*.ipynb"))[:1]
    assert len(paths) == len(sources) + 2

    def grades() -> list:
        return [
            (r.status, r.error, [(c.grade_id, c.points, c.status, c.message) for c in r.cells])
            for r in (grade_notebook(path, sources[path.parent.name], timeout=30, sandbox=LIMITS) for path in paths)
        ]

    cold = grades()
    warm_start.enable()
    try:
        warm = grades()
        zygote = warm_start.zygote_pid()
    finally:
        warm_start.disable()
    assert zygote is not None
    assert warm == cold
    assert NotebookStatus.KERNEL_DIED in [status for status, _, _ in warm]
