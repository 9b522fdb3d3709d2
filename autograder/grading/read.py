"""Read: the submitted notebook, or the reason it cannot be graded."""

from __future__ import annotations

from pathlib import Path

from nbformat import NotebookNode

from autograder import notebooks as nbs


class Unreadable(ValueError):
    """The submission is not a notebook the grader can read."""


def read_submission(submission: Path | bytes | NotebookNode) -> NotebookNode:
    """The submission as nbformat 4 (a path or a file's bytes is read); Unreadable with the reason otherwise."""
    try:
        if isinstance(submission, Path):
            nb = nbs.read(submission)
        elif isinstance(submission, bytes):
            nb = nbs.reads(submission)
        else:
            nb = submission
    except Exception as error:  # noqa: BLE001 - any unreadable file is reported, not raised
        raise Unreadable(f"not a readable notebook: {error}") from None
    if not isinstance(nb.get("cells"), list) or not all(isinstance(c, dict) for c in nb.cells):
        raise Unreadable("not a readable notebook: the notebook has no list of cells")
    return nb
