"""The catalogue of typical wrong answers, kept beside the tests in ``tests/mistakes/nb<NN>.py``.

The tests grade every entry and assert it loses points; the sample class uses
them as its students' mistakes.
"""
from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass

from autograder.paths import REPO


@dataclass(frozen=True)
class Mistake:
    """A typical wrong answer: it replaces the whole source of one solution cell."""

    name: str
    code: str


def catalogue(assignment: str) -> dict[str, list[Mistake]]:
    """Solution grade_id -> its typical mistakes, for an assignment such as "01-neurons"."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    module = importlib.import_module(f"tests.mistakes.nb{assignment[:2]}")
    return module.MISTAKES
