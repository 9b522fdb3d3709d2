"""The sample class as tests grade it: its timeout, and file digests to prove nothing was written."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

SAMPLE_TIMEOUT = 5
"""Seconds a cell may run when the sample class is graded (its looping student waits this long each time).
Its slowest honest cell takes under 0.5 s on an idle machine: a tenfold margin for a loaded one."""


def digests(folder: Path, skip: frozenset[str] = frozenset()) -> dict[str, str]:
    """SHA-256 of every file under ``folder`` (not symlinks, nothing inside a folder named in ``skip``),
    by relative path. Skipped folders are not even walked (the repository's .venv holds some 27,000 files)."""
    found = {}
    for top, folders, files in os.walk(folder):
        folders[:] = [name for name in folders if name not in skip]
        for name in files:
            path = Path(top, name)
            if name in skip or path.is_symlink() or not path.is_file():
                continue
            found[path.relative_to(folder).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return dict(sorted(found.items()))
