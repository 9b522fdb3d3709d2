"""The catalogue of typical wrong answers, one module per notebook: ``nb<NN>.py``.

The tests grade every entry and assert it loses points; the sample class uses
them as its students' mistakes.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Mistake:
    """A typical wrong answer: it replaces the whole source of one solution cell."""

    name: str
    code: str


def catalogue(assignment: str) -> dict[str, list[Mistake]]:
    """Solution grade_id -> its typical mistakes, for an assignment such as "01-neurons"."""
    module = importlib.import_module(f"{__name__}.nb{assignment[:2]}")
    return module.MISTAKES
