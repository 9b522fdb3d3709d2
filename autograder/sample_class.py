"""A generated sample class: typical and hostile submissions, each with its expected score.

Every student is made in code from the instructor notebooks and the release, so
the class follows the course as it changes. ``expected`` holds the score each
student must get per assignment; the tests and ``bpcourse demo`` check it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from autograder import notebooks as nbs
from autograder.attacks import attack
from autograder.mistakes import catalogue
from autograder.paths import COURSE, SOLUTIONS, assignments, notebook_files

INFINITE_LOOP = "\nimport time\nwhile True:  # waiting for a result that never comes\n    time.sleep(0.1)\n"
"""s06's never-ending loop. It sleeps, so that grading the class does not burn a core for the whole timeout
(a loop that burns one is stopped the same way: test_grading has two)."""
KERNEL_EXIT = "\nimport os\nos._exit(1)\n"
MEMORY_HOG = "    _hog = __import__('numpy').ones(int(2e10), dtype='uint8')  # 20 GB\n"
MONKEYPATCH = """
import builtins
import numpy as np
import bpkit.testing
np.allclose = lambda *args, **kwargs: True
np.isclose = lambda a, b, *args, **kwargs: np.ones(np.shape(a), dtype=bool)
np.testing.assert_allclose = lambda *args, **kwargs: None
bpkit.testing.check_array = lambda *args, **kwargs: None
bpkit.testing.check_scalar = lambda *args, **kwargs: None
builtins.AssertionError = type("Harmless", (Exception,), {})
"""


@dataclass
class SampleStudent:
    """One student's files (relative path -> bytes) and expected score per assignment."""

    student: str
    description: str
    files: dict[str, bytes] = field(default_factory=dict)
    expected: dict[str, float] = field(default_factory=dict)


def answer(source_cell: NotebookNode) -> str:
    """The instructor's answer as a student would hand it in: the solution without nbgrader markers."""
    keep = [
        line for line in source_cell.source.splitlines() if line.strip() not in (nbs.SOLUTION_BEGIN, nbs.SOLUTION_END)
    ]
    return "\n".join(keep)


class Assignment:
    """One notebook of the course, as the generator sees it."""

    def __init__(self, name: str) -> None:
        self.name = name
        (source_path,) = notebook_files(name, SOLUTIONS)
        self.notebook = source_path.name
        self.source = nbs.read(source_path)
        self.release = nbs.read(COURSE / name / self.notebook)
        self.solutions = {nbs.grade_id(c): c for c in self.source.cells if nbs.is_solution_cell(c)}
        self.order = list(self.solutions)
        self.points = {nbs.exercise_of(nbs.grade_id(c)): nbs.points(c) for c in nbs.test_cells(self.source)}
        self.max = sum(self.points.values())

    def path(self, name: str | None = None) -> str:
        return f"{self.name}/{name or self.notebook}"

    def submit(self, answers: dict[str, str], edit: Callable[[NotebookNode], None] | None = None) -> bytes:
        """The release with some solution cells answered (and optionally otherwise edited), as file bytes."""
        nb = copy.deepcopy(self.release)
        for cell in nb.cells:
            if nbs.grade_id(cell) in answers:
                cell.source = answers[nbs.grade_id(cell)]
        if edit:
            edit(nb)
        return nbformat.writes(nb).encode()

    def solved(self, only: list[str] | None = None, **replace: str) -> dict[str, str]:
        """Correct answers for ``only`` (default: every exercise), with some replaced."""
        answers = {gid: answer(self.solutions[gid]) for gid in (only if only is not None else self.order)}
        answers.update(replace)
        return answers

    def score_without(self, *exercises: str) -> float:
        return self.max - sum(self.points[e] for e in exercises)


def _blank_tests(nb: NotebookNode) -> None:
    for cell in nb.cells:
        if nbs.is_test_cell(cell):
            cell.source = "pass  # the tests were in the way"


def _delete_tests(nb: NotebookNode) -> None:
    nb.cells = [cell for cell in nb.cells if not nbs.is_test_cell(cell)]


def build(names: list[str] | None = None, attacks: bool = True) -> list[SampleStudent]:
    """The sample class: at least 12 students, each with an expected score per assignment.

    With ``attacks``, it includes students whose code attacks the grader (DEMO_ATTACKS): grade those
    only in the sandbox, never with plain execution, which they would harm (they kill processes and
    write to files).
    """
    course = [Assignment(name) for name in (names or assignments(SOLUTIONS))]
    first, second, fourth = course[0], course[min(1, len(course) - 1)], course[min(3, len(course) - 1)]
    students: list[SampleStudent] = []

    def student(
        sid: str, description: str, special: dict[str, Callable[[Assignment], tuple[str, bytes, float] | None]]
    ):
        s = SampleStudent(sid, description)
        for a in course:
            handed_in = special[a.name](a) if a.name in special else (a.path(), a.submit(a.solved()), a.max)
            if handed_in is None:  # not handed in: scores 0 as "missing"
                s.expected[a.name] = 0.0
                continue
            path, data, s.expected[a.name] = handed_in
            s.files[path] = data
        students.append(s)

    def everywhere(make: Callable[[Assignment], tuple[str, bytes, float]]):
        return {a.name: make for a in course}

    def only(one: Assignment, make: Callable[[Assignment], tuple[str, bytes, float]]):
        """What a student who is special in one notebook hands in: that notebook, nothing else (a copy of
        s01's work or an untouched release in the others would only be graded again, here and in every test
        of the class)."""
        return {**everywhere(lambda a: None), one.name: make}

    def last(a: Assignment) -> str:
        return a.order[-1]

    student("s01-complete", "every exercise right", {})
    student("s02-untouched", "handed in the release as it was", everywhere(lambda a: (a.path(), a.submit({}), 0.0)))
    student(
        "s03-half",
        "the first half of each notebook's exercises",
        everywhere(
            lambda a: (
                a.path(),
                a.submit(a.solved(a.order[: (len(a.order) + 1) // 2])),
                a.max - sum(a.points[e] for e in a.order[(len(a.order) + 1) // 2 :]),
            )
        ),
    )
    for index, sid in ((0, "s04-mistakes"), (1, "s05-other-mistakes")):
        student(
            sid,
            f"typical mistake no. {index + 1} in each notebook's last exercise",
            everywhere(
                lambda a, i=index: (
                    a.path(),
                    a.submit(a.solved(**{last(a): catalogue(a.name)[last(a)][i].code})),
                    a.score_without(last(a)),
                )
            ),
        )
    student(
        "s06-infinite-loop",
        f"only {first.name}, with a loop that never ends after its last answer",
        only(
            first,
            lambda a: (
                a.path(),
                a.submit(a.solved(**{last(a): answer(a.solutions[last(a)]) + INFINITE_LOOP})),
                a.score_without(last(a)),
            ),
        ),
    )
    student(
        "s07-kernel-exit",
        f"only {second.name}, with os._exit after its last answer",
        only(
            second,
            lambda a: (
                a.path(),
                a.submit(a.solved(**{last(a): answer(a.solutions[last(a)]) + KERNEL_EXIT})),
                a.score_without(last(a)),
            ),
        ),
    )
    student(
        "s08-edited-tests",
        f"only {first.name}, its test cells blanked, and {second.name}, its test cells deleted; no answers",
        {
            **everywhere(lambda a: None),
            first.name: lambda a: (a.path(), a.submit({}, _blank_tests), 0.0),
            second.name: lambda a: (a.path(), a.submit({}, _delete_tests), 0.0),
        },
    )
    student(
        "s09-corrupt-json",
        f"only {first.name}, which is not valid JSON",
        only(first, lambda a: (a.path(), a.submit(a.solved())[:500], 0.0)),
    )
    student(
        "s10-wrong-name",
        f"{first.name} handed in under another file name, and {second.name}, right, under its own",
        {
            **only(second, lambda a: (a.path(), a.submit(a.solved()), a.max)),
            first.name: lambda a: (a.path(f"{Path(a.notebook).stem}-final.ipynb"), a.submit(a.solved()), 0.0),
        },
    )
    student(
        "s11-memory-hog",
        f"only {fourth.name}, whose last answer allocates 20 GB",
        only(
            fourth,
            lambda a: (
                a.path(),
                a.submit(a.solved(**{last(a): _inject_first_line(answer(a.solutions[last(a)]), MEMORY_HOG)})),
                a.score_without(last(a)),
            ),
        ),
    )
    student(
        "s12-monkeypatch",
        f"only {first.name}, with no answers but numpy, bpkit.testing and AssertionError patched",
        only(first, lambda a: (a.path(), a.submit({a.order[0]: MONKEYPATCH}), 0.0)),
    )
    student(
        "s13-late-start",
        f"only {first.name}, done",
        only(first, lambda a: (a.path(), a.submit(a.solved()), a.max)),
    )
    for number, name in enumerate(DEMO_ATTACKS if attacks else (), start=14):
        student(
            f"s{number}-{name}",
            f"only {first.name}, its last answer replaced by the attack '{name}' "
            f"(autograder.attacks), which defines the answer only if it succeeds",
            only(first, lambda a, n=name: _attacked(a, n)),
        )
    return students


DEMO_ATTACKS = ("kill-every-pid", "vandalise-from-bpkit-path", "read-solutions", "leave-a-daemon")
"""Hostile students in the sample class, each an attack of autograder.attacks (the tests grade them all)."""


def _attacked(a: Assignment, name: str) -> tuple[str, bytes, float]:
    """Notebook ``a`` answered correctly but for its last answer, which is the attack ``name``."""
    hostile = attack(name, answer(a.solutions[a.order[-1]]))
    expected = a.max if hostile.full_marks else a.score_without(a.order[-1])
    return a.path(), a.submit(a.solved(**{a.order[-1]: hostile.code})), expected


def _inject_first_line(code: str, line: str) -> str:
    """Put ``line`` as the first statement of the first function defined in ``code``."""
    lines = code.splitlines(keepends=True)
    for index, text in enumerate(lines):
        if text.startswith("def ") and text.rstrip().endswith(":"):
            return "".join(lines[: index + 1] + [line] + lines[index + 1 :])
    raise ValueError("the answer defines no top-level function")


def write(students: list[SampleStudent], folder: Path) -> None:
    """Write the class as ``<folder>/<student>/<assignment>/<notebook>.ipynb``."""
    for s in students:
        for relative, data in s.files.items():
            path = folder / s.student / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
