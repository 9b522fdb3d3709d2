"""The instructor's class report: score distributions, the exercises the class struggles with, what went wrong.

Built from the workspace's stored results. Scores and exercise means cover the
notebooks that were handed in; missing ones only appear in the status counts
(grades.csv is where they count as 0). Figures are drawn with matplotlib's
object API (no pyplot), so nothing leaks into the caller's plotting state.
"""

from __future__ import annotations

import io
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from matplotlib import colormaps
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from autograder.html import points, render
from autograder.notebooks import exercise_of
from autograder.results import NotebookStatus
from autograder.workspace import StoredResult, Workspace, atomic_write

TIMED_OUT = "graded with timed-out cells"
STATUSES = (str(NotebookStatus.GRADED), TIMED_OUT, *(str(s) for s in NotebookStatus if s is not NotebookStatus.GRADED))
"""Status categories of a notebook in the report, in the order of its table: every NotebookStatus, and
graded notebooks with an interrupted cell told apart."""
HARDEST = 5
"""How many of the lowest-scoring exercises the summary table names per assignment."""
EXERCISE_CHART = "exercises.png"


@dataclass
class AssignmentStats:
    """What the report shows about one assignment."""

    name: str
    max_score: float
    totals: list[float] = field(default_factory=list)  # one per student who handed anything in
    exercises: list[tuple[str, float]] = field(default_factory=list)  # (exercise, mean fraction) in course order
    statuses: Counter = field(default_factory=Counter)  # category -> number of notebooks

    @property
    def histogram(self) -> str:
        return f"scores-{self.name}.png"

    def hardest(self, count: int = HARDEST) -> list[tuple[str, float]]:
        """The ``count`` exercises with the lowest mean fraction, lowest first."""
        return sorted(self.exercises, key=lambda item: item[1])[:count]


def status_category(result: StoredResult) -> str:
    """One of STATUSES: a graded notebook with an interrupted cell is told apart from a clean one."""
    if result.status is NotebookStatus.GRADED and result.timed_out:
        return TIMED_OUT
    return str(result.status)


def _student_totals(results: list[StoredResult]) -> list[float]:
    """Each student's score summed over the assignment's notebooks, for students who handed anything in."""
    students = sorted({r.student for r in results if r.status is not NotebookStatus.MISSING})
    return [sum(r.score for r in results if r.student == s) for s in students]


def _exercise_means(results: list[StoredResult]) -> list[tuple[str, float]]:
    """Mean fraction of points per exercise over handed-in notebooks, in the order the exercises come."""
    fractions: dict[tuple[str, str], list[float]] = {}
    for result in results:
        if result.status is NotebookStatus.MISSING:
            continue
        for cell in result.cells:
            if cell.max_points > 0:
                key = (result.notebook, cell.grade_id)
                fractions.setdefault(key, []).append(cell.points / cell.max_points)
    return [(exercise_of(gid), statistics.fmean(values)) for (_, gid), values in fractions.items()]


def _max_score(results: list[StoredResult]) -> float:
    by_student: dict[str, float] = {}
    for result in results:
        by_student[result.student] = by_student.get(result.student, 0.0) + result.max_score
    return max(by_student.values(), default=0.0)


def assignment_stats(results: list[StoredResult]) -> list[AssignmentStats]:
    """The report's numbers, one entry per assignment, sorted by name."""
    names = sorted({r.assignment for r in results})
    stats = []
    for name in names:
        own = [r for r in results if r.assignment == name]
        stats.append(
            AssignmentStats(
                name,
                _max_score(own),
                _student_totals(own),
                _exercise_means(own),
                Counter(status_category(r) for r in own),
            )
        )
    return stats


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    return buffer.getvalue()


def _bins(max_score: float) -> np.ndarray:
    """Histogram bin edges: one bar per point centred on it up to 30 points, else tenths of the maximum."""
    if max_score <= 30:
        return np.arange(-0.5, max_score + 1.0)
    return np.linspace(0, max_score, 11)


def histogram_png(stats: AssignmentStats) -> bytes:
    """Histogram of the students' total scores on one assignment."""
    figure = Figure(figsize=(6, 3.2), layout="constrained")
    ax = figure.add_subplot()
    bins = _bins(stats.max_score)
    ax.hist(stats.totals, bins=bins, color="#4c72b0", edgecolor="white")
    ax.set_xlim(bins[0], bins[-1])
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(f"total score (out of {points(stats.max_score)})")
    ax.set_ylabel("students")
    ax.set_title(f"{stats.name}: {len(stats.totals)} submissions", loc="left")
    return _png(figure)


def exercise_chart_png(all_stats: list[AssignmentStats]) -> bytes:
    """Mean fraction of points per exercise, one panel per assignment, bars coloured red (low) to green (high)."""
    shown = [s for s in all_stats if s.exercises]
    heights = [len(s.exercises) for s in shown]
    figure = Figure(figsize=(7, 1.0 + 0.3 * sum(heights) + 0.6 * len(shown)), layout="constrained")
    axes = figure.subplots(len(shown), 1, sharex=True, squeeze=False, gridspec_kw={"height_ratios": heights})[:, 0]
    cmap = colormaps["RdYlGn"]
    for ax, stats in zip(axes, shown, strict=False):
        labels = [label for label, _ in stats.exercises]
        means = [mean for _, mean in stats.exercises]
        bars = ax.barh(range(len(means)), means, color=[cmap(m) for m in means], edgecolor="#555555")
        ax.bar_label(bars, labels=[f"{m:.0%}" for m in means], padding=3, fontsize=8)
        ax.set_yticks(range(len(labels)), labels, fontsize=8)
        ax.invert_yaxis()
        ax.set_title(stats.name, loc="left", fontsize=10)
    axes[-1].set_xlim(0, 1.12)
    axes[-1].xaxis.set_major_formatter(PercentFormatter(1.0))
    axes[-1].set_xlabel("mean share of the exercise's points earned by the class")
    return _png(figure)


def _summary_row(stats: AssignmentStats) -> list[str]:
    totals = stats.totals
    figures = (
        [points(statistics.fmean(totals)), points(statistics.median(totals)), points(min(totals)), points(max(totals))]
        if totals
        else ["–"] * 4
    )
    hardest = ", ".join(f"{name} ({mean:.0%})" for name, mean in stats.hardest())
    return [stats.name, str(len(totals)), *figures, points(stats.max_score), hardest]


def render_report(all_stats: list[AssignmentStats], images: set[str], unsandboxed: int = 0) -> str:
    """The report page; ``images`` are the figure files written next to it; ``unsandboxed`` counts the
    notebooks graded without the sandbox."""
    return render(
        "report.html",
        unsandboxed=unsandboxed,
        summary_head=[
            "Assignment",
            "Submissions",
            "Mean",
            "Median",
            "Min",
            "Max",
            "Out of",
            f"Lowest {HARDEST} exercises",
        ],
        summary_rows=[_summary_row(s) for s in all_stats],
        histograms=[
            (s.histogram, f"histogram of total scores on {s.name}") for s in all_stats if s.histogram in images
        ],
        exercise_chart=EXERCISE_CHART if EXERCISE_CHART in images else None,
        status_head=["Assignment", *(status.capitalize() for status in STATUSES)],
        status_rows=[[s.name, *(str(s.statuses[status]) for status in STATUSES)] for s in all_stats],
    )


def write_report(workspace: Workspace, out_dir: Path) -> Path:
    """Write the figures and ``report.html`` into ``out_dir``; return the path of the page."""
    out_dir = Path(out_dir)
    results = workspace.results()
    all_stats = assignment_stats(results)
    images = set()
    for stats in all_stats:
        if stats.totals:
            atomic_write(out_dir / stats.histogram, histogram_png(stats))
            images.add(stats.histogram)
    if any(s.exercises for s in all_stats):
        atomic_write(out_dir / EXERCISE_CHART, exercise_chart_png(all_stats))
        images.add(EXERCISE_CHART)
    report = out_dir / "report.html"
    unsandboxed = sum(not r.sandboxed for r in results if r.status is not NotebookStatus.MISSING)
    atomic_write(report, render_report(all_stats, images, unsandboxed).encode())
    return report
