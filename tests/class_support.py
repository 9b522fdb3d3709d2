"""The sample class as tests grade it: its timeout, and file digests to prove nothing was written."""

from __future__ import annotations

import hashlib
from pathlib import Path

SAMPLE_TIMEOUT = 10
"""Seconds a cell may run when the sample class is graded (its looping students wait this long)."""


def digests(folder: Path, skip: frozenset[str] = frozenset()) -> dict[str, str]:
    """SHA-256 of every file under ``folder`` (not symlinks, nothing inside a folder named in ``skip``),
    by relative path."""
    found = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if skip & set(relative.parts) or not path.is_file() or path.is_symlink():
            continue
        found[relative.as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found
