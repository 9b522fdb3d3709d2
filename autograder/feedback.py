"""Feedback for students: one self-contained HTML page per graded notebook.

The pages show scores and the teaching messages of failed checks (from
``bpkit.testing``), never test code or tracebacks, so they can be handed out
as they are. ``page`` and ``points`` are shared with the class report.
"""
from __future__ import annotations

from html import escape
from pathlib import Path

from autograder.workspace import StoredResult, Workspace, atomic_write

_CSS = """
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328;
       max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
.sub { color: #59636e; margin-top: 0; }
.score { font-size: 1.3rem; font-weight: 600; }
.notice { border-left: 4px solid #cf222e; background: #ffebe9; padding: .6rem 1rem; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
th, td { text-align: left; vertical-align: top; padding: .45rem .6rem; border-bottom: 1px solid #d1d9e0; }
th { background: #f6f8fa; }
td.num, th.num { text-align: right; white-space: nowrap; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f8fa; padding: .5rem .7rem;
      margin: .3rem 0 0; border-radius: 4px; font-size: .9rem; }
.passed { color: #1a7f37; font-weight: 600; }
.failed, .timed-out, .not-run { color: #cf222e; font-weight: 600; }
img { max-width: 100%; height: auto; }
"""

_STATUS_NOTICE = {
    "invalid": "Your notebook could not be read, so none of its tests ran: {error}",
    "kernel died": (
        "The kernel (the Python process running your notebook) stopped before the end, "
        "so the tests after that point did not run. This often means the code used too much memory "
        "or ended the process. Details: {error}"
    ),
    "missing": "No notebook was handed in for this part of the assignment.",
}


def page(title: str, body: str) -> str:
    """A complete HTML5 document with the course's inline style; ``body`` must already be escaped."""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n{body}</body>\n</html>\n"
    )


def points(value: float) -> str:
    """A score for people to read: 3, 2.5, 7.33."""
    return f"{round(value, 2):g}"


def exercise_name(grade_id: str) -> str:
    """The exercise a test cell checks: its grade_id without the ``test_`` prefix."""
    return grade_id.removeprefix("test_")


UNSANDBOXED_NOTICE = ("This notebook was graded without the grading sandbox (bpcourse grade --no-sandbox): "
                      "its code ran with the grader's own rights.")


def status_notice(result: StoredResult) -> str:
    """Why a notebook was not graded normally, in plain words ("" when it was)."""
    if result.status == "graded":
        return ""
    template = _STATUS_NOTICE.get(result.status, "Your notebook was not graded ({status}): {error}")
    return template.format(status=result.status, error=result.error or "no details were recorded")


def _explanation(cell: dict) -> str:
    """What to tell the learner about one test cell: nothing for a pass, else the message."""
    if cell["status"] == "passed" or not cell.get("message"):
        return ""
    lead = "<p>A hidden test failed:</p>" if cell["status"] == "failed" and cell.get("hidden") else ""
    return f"{lead}<pre>{escape(cell['message'])}</pre>"


def _row(cell: dict) -> str:
    status = cell["status"]
    return (
        f"<tr><td>{escape(exercise_name(cell['grade_id']))}</td>"
        f"<td class=\"num\">{points(cell['points'])} / {points(cell['max_points'])}</td>"
        f"<td><span class=\"{escape(status.replace(' ', '-'))}\">{escape(status)}</span>{_explanation(cell)}</td></tr>\n"
    )


def render_feedback(result: StoredResult) -> str:
    """The feedback page for one stored result."""
    title = f"{result.assignment} / {result.notebook}"
    notice = status_notice(result)
    unsandboxed = "" if result.sandboxed else UNSANDBOXED_NOTICE
    rows = "".join(_row(cell) for cell in result.cells)
    body = (
        f"<h1>Feedback: {escape(result.assignment)}</h1>\n"
        f"<p class=\"sub\">Notebook {escape(result.notebook)}, student {escape(result.student)}</p>\n"
        f"<p class=\"score\">Score: {points(result.score)} / {points(result.max_score)}</p>\n"
        + "".join(f"<p class=\"notice\">{escape(text)}</p>\n" for text in (notice, unsandboxed) if text)
        + "<table>\n<thead><tr><th>Exercise</th><th class=\"num\">Points</th><th>Result</th></tr></thead>\n"
        f"<tbody>\n{rows}</tbody>\n</table>\n"
    )
    return page(f"Feedback: {title}", body)


def write_feedback(workspace: Workspace) -> list[Path]:
    """Write one feedback page per stored result into the workspace; return the pages written."""
    written = []
    for result in workspace.results():
        path = workspace.feedback_path(result.student, result.assignment, result.notebook)
        atomic_write(path, render_feedback(result).encode())
        written.append(path)
    return written
