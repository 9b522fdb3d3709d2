"""Feedback for students: one self-contained HTML page per graded notebook.

The pages show scores and the teaching messages of failed checks (from
``bpkit.testing``), never test code or tracebacks, so they can be handed out
as they are. The page is ``templates/feedback.html``.
"""

from __future__ import annotations

from pathlib import Path

from autograder.html import render
from autograder.results import NotebookStatus
from autograder.workspace import StoredResult, Workspace, atomic_write

_STATUS_NOTICE = {
    NotebookStatus.INVALID: "Your notebook could not be read, so none of its tests ran: {error}",
    NotebookStatus.KERNEL_DIED: (
        "The kernel (the Python process running your notebook) stopped before the end, "
        "so the tests after that point did not run. This often means the code used too much memory "
        "or ended the process. Details: {error}"
    ),
    NotebookStatus.MISSING: "No notebook was handed in for this part of the assignment.",
}


UNSANDBOXED_NOTICE = (
    "This notebook was graded without the grading sandbox (bpcourse grade --no-sandbox): "
    "its code ran with the grader's own rights."
)


def status_notice(result: StoredResult) -> str:
    """Why a notebook was not graded normally, in plain words ("" when it was)."""
    if result.status is NotebookStatus.GRADED:
        return ""
    template = _STATUS_NOTICE.get(result.status, "Your notebook was not graded ({status}): {error}")
    return template.format(status=result.status, error=result.error or "no details were recorded")


def render_feedback(result: StoredResult) -> str:
    """The feedback page for one stored result."""
    notices = [text for text in (status_notice(result), "" if result.sandboxed else UNSANDBOXED_NOTICE) if text]
    return render("feedback.html", result=result, notices=notices)


def write_feedback(workspace: Workspace) -> list[Path]:
    """Write one feedback page per stored result into the workspace; return the pages written."""
    written = []
    for result in workspace.results():
        path = workspace.feedback_path(result.student, result.assignment, result.notebook)
        atomic_write(path, render_feedback(result).encode())
        written.append(path)
    return written
