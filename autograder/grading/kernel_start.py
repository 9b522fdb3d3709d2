"""Runs inside a grading sandbox: what every kernel does before any learner code runs, then the kernel.

Linux keeps keyrings per user, outside the namespaces bwrap makes, and a grading
worker's sandboxes run as one uid: a key that one submission adds to its user
keyring would still be there for the next submission, even after every process
of the first is gone. So each kernel joins a new session keyring (never the
grader's) and empties its user keyrings before it starts. Cold kernels run this
module; kernels forked from a zygote call ``fresh_keyrings`` (autograder.grading.zygote).
"""

from __future__ import annotations

import ctypes
import platform
import sys

KEYCTL = {"x86_64": 250, "aarch64": 219}
"""The keyctl system call's number per machine (Python has no binding for it)."""
JOIN_SESSION_KEYRING = 1
CLEAR = 7
USER_KEYRING = -4
USER_SESSION_KEYRING = -5


def fresh_keyrings() -> None:
    """A new, empty session keyring for this process, and its uid's user keyrings emptied; or OSError."""
    number = KEYCTL.get(platform.machine())
    if number is None:
        raise OSError(f"the keyctl system call's number on {platform.machine()} is not known")
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    for operation, keyring in ((JOIN_SESSION_KEYRING, 0), (CLEAR, USER_KEYRING), (CLEAR, USER_SESSION_KEYRING)):
        if libc.syscall(ctypes.c_long(number), ctypes.c_long(operation), ctypes.c_long(keyring)) < 0:
            raise OSError(ctypes.get_errno(), f"keyctl({operation}, {keyring}) failed")


KERNEL_OPTIONS = ("--HistoryManager.enabled=False",)
"""Grading keeps no input history: no history database in the scratch, and no thread of the kernel writing it."""


def launch(argv: list[str]) -> None:
    """Run an IPython kernel with ``argv`` (its connection file) and the grading options, until it is shut down."""
    from ipykernel import kernelapp

    kernelapp.launch_new_instance(argv=[*argv, *KERNEL_OPTIONS])


def main() -> None:
    """Fresh keyrings, then the kernel (its arguments are this module's)."""
    fresh_keyrings()
    launch(sys.argv[1:])


if __name__ == "__main__":
    main()
