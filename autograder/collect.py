"""``bpcourse collect``: copy submissions into the workspace without ever touching the originals.

Accepted sources:
  * a folder laid out ``<student>/<assignment>/<notebook>.ipynb``;
  * a zip file (as LMSs export them) of files named ``<student>_<anything>_<notebook>.ipynb``
    or ``<student>_<notebook>.ipynb``, or laid out like the folder.
A notebook is matched to its assignment by its file name (``neurons.ipynb`` belongs
to ``01-neurons``). Re-collecting is safe: identical files are left as they are,
changed ones replace the earlier copy.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from autograder.errors import CourseError
from autograder.paths import SOLUTIONS, assignments, notebook_files
from autograder.workspace import Workspace, atomic_write

STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass
class CollectReport:
    """What collect did with every file it saw."""

    imported: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    unmatched: list[tuple[str, str]] = field(default_factory=list)  # (file, why)


def notebook_index(source_dir: Path = SOLUTIONS) -> dict[str, str]:
    """Notebook file name -> assignment, e.g. "neurons.ipynb" -> "01-neurons"."""
    return {path.name: name for name in assignments(source_dir) for path in notebook_files(name, source_dir)}


def _folder_entries(source: Path) -> Iterator[tuple[str, bytes | None]]:
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        yield path.relative_to(source).as_posix(), None


def _match(relative: str, index: dict[str, str]) -> tuple[str, str, str] | str:
    """(student, assignment, notebook) for a file path inside a source, or the reason it does not match."""
    parts = PurePosixPath(relative).parts
    name = parts[-1]
    if not name.endswith(".ipynb"):
        return "not a notebook (.ipynb)"
    if len(parts) >= 3:
        student, assignment = parts[-3], parts[-2]
        if name not in index:
            return f"unknown notebook name {name!r}: expected one of {sorted(index)}"
        if index[name] != assignment:
            return f"{name} belongs to assignment {index[name]!r}, not {assignment!r}"
    else:
        notebook = next((nb for nb in sorted(index, key=len, reverse=True) if name.endswith(f"_{nb}")), None)
        if notebook is None:
            return f"cannot tell the notebook: name files <student>_<notebook>, e.g. s123_{sorted(index)[0]}"
        student, assignment, name = name.split("_", 1)[0], index[notebook], notebook
    if not STUDENT_ID.match(student):
        return f"student id {student!r} has characters other than letters, digits, '.', '_' and '-'"
    return student, assignment, name


def collect(source: Path, workspace: Workspace, source_dir: Path = SOLUTIONS) -> CollectReport:
    """Import every matching notebook from ``source`` (folder or zip) into ``workspace.submitted``."""
    if not source.exists():
        raise CourseError(f"{source} does not exist; give a folder <student>/<assignment>/*.ipynb or a zip")
    index = notebook_index(source_dir)
    report = CollectReport()
    if source.is_dir():
        entries = [(rel, (source / rel).read_bytes()) for rel, _ in _folder_entries(source)]
    elif zipfile.is_zipfile(source):
        with zipfile.ZipFile(source) as archive:
            entries = [(i.filename, archive.read(i)) for i in archive.infolist() if not i.is_dir()]
    else:
        raise CourseError(
            f"{source} is neither a folder nor a zip file; give a folder <student>/<assignment>/*.ipynb or an LMS zip"
        )
    for relative, data in entries:
        if PurePosixPath(relative).name.startswith(".") or "__MACOSX" in relative:
            continue
        match = _match(relative, index)
        if isinstance(match, str):
            report.unmatched.append((relative, match))
            continue
        target = workspace.submission(*match)
        label = "/".join(match)
        if target.exists() and target.read_bytes() == data:
            report.unchanged.append(label)
            continue
        atomic_write(target, data)
        target.chmod(0o444)  # the submitted copy is never written again
        report.imported.append(label)
    return report
