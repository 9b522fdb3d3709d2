"""`bpcourse check` exits quietly when a kernel was slow to start (nbclient's leftover atexit cleanup)."""
from __future__ import annotations

import subprocess
import sys
import textwrap

# What nbclient leaves behind when wait_for_ready times out: its cleanup registered with atexit, km already None.
LEFTOVER = textwrap.dedent("""
    import atexit
    from nbclient import NotebookClient
    import nbformat
    client = NotebookClient(nbformat.v4.new_notebook())
    client.km = None
    atexit.register(client._cleanup_kernel)
""")


def _stderr_at_exit(setup: str) -> str:
    return subprocess.run([sys.executable, "-c", setup + LEFTOVER], capture_output=True, text=True, check=True).stderr


def test_the_leftover_cleanup_prints_a_traceback_by_default():
    assert "_async_cleanup_kernel" in _stderr_at_exit("") and "AssertionError" in _stderr_at_exit("")


def test_check_drops_that_traceback():
    quiet = "from autograder.selfcheck import quiet_spurious_kernel_cleanup\nquiet_spurious_kernel_cleanup()\n"
    assert _stderr_at_exit(quiet) == ""


def test_other_errors_at_exit_are_still_printed():
    quiet = "from autograder.selfcheck import quiet_spurious_kernel_cleanup\nquiet_spurious_kernel_cleanup()\n"
    other = "import atexit\natexit.register(lambda: 1 / 0)\n"
    assert "ZeroDivisionError" in _stderr_at_exit(quiet + other)
