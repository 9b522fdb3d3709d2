"""Keep nbgrader's gradebook in step with the stored grading results.

The gradebook is nbgrader's own (SQLite in the workspace by default, or any
database URL nbgrader accepts: ``postgresql://user@host/db`` is opened with
psycopg 3, the PostgreSQL driver the course installs). Assignments and their grade cells are created by
nbgrader's ``generate_assignment``; each submission's scores are written in a
single transaction, so a killed run never leaves a submission half-graded.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from autograder.config import answer_alembic_in_process, nbgrader_config
from autograder.errors import CourseError
from autograder.workspace import StoredResult

if TYPE_CHECKING:
    from nbgrader.api import Gradebook

DRIVERS = {"postgresql": "postgresql+psycopg", "postgres": "postgresql+psycopg"}
"""URL schemes given without a driver, and the driver the course installs for them."""


def database_url(url: str) -> str:
    """``url`` with the installed driver named (SQLAlchemy would otherwise look for psycopg2)."""
    scheme, sep, rest = url.partition("://")
    return f"{DRIVERS.get(scheme, scheme)}{sep}{rest}"


@contextlib.contextmanager
def open_gradebook(db_url: str) -> Iterator[Gradebook]:
    """nbgrader's gradebook at ``db_url``; a database that cannot be opened is a CourseError saying which."""
    from nbgrader.api import Gradebook
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

    answer_alembic_in_process()
    try:
        gradebook = Gradebook(database_url(db_url))
    except (OperationalError, ArgumentError, NoSuchModuleError) as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        raise CourseError(f"cannot open the gradebook database {db_url}: {reason}") from None
    with gradebook as gb:
        yield gb


def ensure_assignments(db_url: str, workspace_root: Path, names: Iterable[str]) -> None:
    """Create every assignment (notebooks, grade cells, source cells) the gradebook lacks."""
    from nbgrader.api import MissingEntry
    from nbgrader.apps import NbGraderAPI

    with open_gradebook(db_url) as gb:
        missing = []
        for name in names:
            try:
                gb.find_assignment(name)
            except MissingEntry:
                missing.append(name)
    if not missing:
        return
    with tempfile.TemporaryDirectory(prefix="bpcourse-gradebook-") as release:
        config = nbgrader_config(workspace_root, release_dir=Path(release), db_url=database_url(db_url))
        api = NbGraderAPI(config=config)
        for name in missing:
            result = api.generate_assignment(name, force=True, create=True)
            if not result["success"]:
                raise RuntimeError(f"nbgrader could not add {name} to the gradebook:\n{result.get('log', '')}")


def record(db_url: str, results: Iterable[StoredResult]) -> int:
    """Write every result's cell scores as nbgrader auto scores; returns how many submissions were written."""
    from nbgrader.api import Comment, Grade, MissingEntry, SubmittedAssignment, SubmittedNotebook

    count = 0
    with open_gradebook(db_url) as gb:
        for stored in results:
            gb.update_or_create_student(stored.student)
            scores = {cell.grade_id: cell.points for cell in stored.cells}
            try:
                submission = gb.find_submission(stored.assignment, stored.student)
            except MissingEntry:
                assignment, student = gb.find_assignment(stored.assignment), gb.find_student(stored.student)
                with gb.db.no_autoflush:  # build the whole submission, then write it with its scores
                    submission = SubmittedAssignment(assignment=assignment, student=student)
                    gb.db.add(submission)
                    for notebook in assignment.notebooks:
                        nb = SubmittedNotebook(notebook=notebook, assignment=submission)
                        gb.db.add(nb)
                        gb.db.add_all(Grade(cell_id=cell.id, notebook=nb) for cell in notebook.grade_cells)
                        # as nbgrader's add_submission does
                        gb.db.add_all(Comment(cell_id=cell.id, notebook=nb) for cell in notebook.solution_cells)
                gb.db.flush()  # load the new rows' relationships; still one transaction until the commit
            for nb in submission.notebooks:
                if nb.name != Path(stored.notebook).stem:
                    continue
                for grade in nb.grades:
                    grade.auto_score = float(scores.get(grade.name, 0.0))
            gb.db.commit()  # one transaction per submission
            count += 1
    return count
