"""Which grader this is: what a grading worker must share with the machine that hands it work.

Two machines give the same grade to the same notebook only if they run the same
grading semantics, the same instructor notebooks (their tests and points) and the
same course code (bpkit, which the tests import, and the grader). ``this_grader``
fingerprints all three; a worker refuses a job made by a different fingerprint,
and ``differences`` says which side differs.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from autograder.paths import REPO, SOLUTIONS

GRADER_VERSION = "2"
"""Bump when grading semantics change, so stored results are graded again."""

CODE = ("bpkit", "autograder")
"""The packages whose source decides a grade."""


@dataclass(frozen=True)
class GraderVersion:
    """A grader's fingerprint: semantics version, hash of solutions/, hash of the course code."""

    grader: str
    solutions: str
    code: str


def tree_hash(files: Iterable[Path], root: Path) -> str:
    """SHA-256 over the files' paths (relative to ``root``) and bytes, in sorted order; 16 hex digits."""
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@functools.cache
def this_grader() -> GraderVersion:
    """The fingerprint of the grader installed here (computed once per process)."""
    solutions = tree_hash(SOLUTIONS.glob("*/*.ipynb"), SOLUTIONS)
    code = tree_hash((p for package in CODE for p in (REPO / package).rglob("*.py")), REPO)
    return GraderVersion(GRADER_VERSION, solutions, code)


def differences(theirs: GraderVersion, ours: GraderVersion, where: str = "the worker") -> list[str]:
    """What differs between two graders, in words ("" when they are the same)."""
    said = {
        "grader": "grading semantics (GRADER_VERSION)",
        "solutions": "the instructor notebooks (solutions/)",
        "code": "the course code (bpkit/, autograder/)",
    }
    return [
        f"{text}: {where} has {getattr(theirs, field)}, this machine has {getattr(ours, field)}"
        for field, text in said.items()
        if getattr(theirs, field) != getattr(ours, field)
    ]
