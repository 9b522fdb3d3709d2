"""The sample class as tests grade it: its timeout, and file digests to prove nothing was written."""

from __future__ import annotations

import hashlib
from pathlib import Path

SAMPLE_TIMEOUT = 10
"""Seconds a cell may run when the sample class is graded (its looping students wait this long)."""


def digests(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder``, by relative path."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
