"""Generate the student release (course/) from the instructor notebooks (solutions/) and verify it.

Generation is nbgrader's ``generate_assignment``, called through its Python API
in this process. Verification scans every released file for solution code and
hidden-test code.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder import notebooks as nbs
from autograder.config import nbgrader_config
from autograder.errors import FAILED, CourseError
from autograder.paths import COURSE, SOLUTIONS, assignments, notebook_files


class ReleaseError(CourseError):
    """nbgrader could not generate an assignment, or the release leaks."""

    def __init__(self, message: str) -> None:
        super().__init__(message, FAILED)


def generate(release_dir: Path = COURSE, names: list[str] | None = None) -> list[str]:
    """Regenerate ``release_dir/<assignment>`` for every assignment in solutions/; returns their names."""
    from nbgrader.apps import NbGraderAPI  # slow import: only when generating

    names = names or assignments(SOLUTIONS)
    with tempfile.TemporaryDirectory(prefix="bpcourse-release-") as tmp:
        config = nbgrader_config(Path(tmp), release_dir=release_dir.resolve())
        api = NbGraderAPI(config=config)
        for name in names:
            result = api.generate_assignment(name, force=True, create=True)
            if not result["success"]:
                raise ReleaseError(f"nbgrader could not generate {name}:\n{result.get('error') or result.get('log')}")
    return names


@dataclass(frozen=True)
class Leak:
    """A line of solution or hidden-test code found in a released file."""

    path: Path
    kind: str
    line: str

    def __str__(self) -> str:
        return f"{self.path}: {self.kind} code leaked: {self.line!r}"


def _classified_lines(source: str) -> Iterator[tuple[str | None, str]]:
    """(region, stripped line) for every line of a cell: region is "solution", "hidden test" or None."""
    region = None
    for line in source.splitlines():
        stripped = line.strip()
        if stripped.startswith(nbs.SOLUTION_BEGIN):
            region = "solution"
        elif stripped.startswith(nbs.HIDDEN_BEGIN):
            region = "hidden test"
        elif stripped.startswith((nbs.SOLUTION_END, nbs.HIDDEN_END)):
            region = None
        else:
            yield region, stripped


def secret_lines(source_nbs: Iterable[nbs.NotebookNode]) -> dict[str, set[str]]:
    """Distinctive lines of solution code and hidden tests in the source notebooks.

    A line counts when it is long enough to be distinctive (>= 12 characters,
    not a comment) and appears nowhere outside those regions in any of the
    notebooks (a line a visible test shares with a hidden one is public).
    """
    public: set[str] = set()
    secret: dict[str, set[str]] = {"solution": set(), "hidden test": set()}
    for nb in source_nbs:
        for cell in nb.cells:
            for region, line in _classified_lines(cell.source):
                (secret[region] if region else public).add(line)
    return {
        kind: {line for line in lines if len(line) >= 12 and not line.startswith("#") and line not in public}
        for kind, lines in secret.items()
    }


def find_leaks(release_dir: Path = COURSE, source_dir: Path = SOLUTIONS) -> list[Leak]:
    """Every released file that contains nbgrader markers or a secret line of any source notebook."""
    sources = (nbs.read(path) for name in assignments(source_dir) for path in notebook_files(name, source_dir))
    secrets = secret_lines(sources)
    leaks: list[Leak] = []
    for path in sorted(p for p in release_dir.rglob("*") if p.is_file()):
        text = path.read_text(encoding="utf-8", errors="replace")
        for marker in (nbs.SOLUTION_BEGIN, nbs.HIDDEN_BEGIN):
            if marker in text:
                leaks.append(Leak(path, "marker", marker))
        lines = {line.strip() for line in _file_lines(path, text)}
        for kind, secret in secrets.items():
            leaks.extend(Leak(path, kind, line) for line in sorted(secret & lines))
    return leaks


def _file_lines(path: Path, text: str) -> list[str]:
    """Source lines of a notebook's cells, or the raw lines of any other file."""
    if path.suffix == ".ipynb":
        try:
            nb = nbformat.reads(text, as_version=4)
        except Exception:  # noqa: BLE001 - an unreadable file is scanned as text
            return text.splitlines()
        return [line for cell in nb.cells for line in cell.source.splitlines()]
    return text.splitlines()


def release(release_dir: Path = COURSE) -> list[str]:
    """Regenerate the release in place and verify it; raises ReleaseError listing any leak."""
    names = generate(release_dir)
    stale = [p for p in release_dir.iterdir() if p.is_dir() and p.name not in names]
    for folder in stale:
        shutil.rmtree(folder)
    leaks = find_leaks(release_dir)
    if leaks:
        raise ReleaseError("the release leaks:\n" + "\n".join(str(leak) for leak in leaks))
    return names
