"""Where the course's files live."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOLUTIONS = REPO / "solutions"
COURSE = REPO / "course"
ASSETS = REPO / "assets"
NBGRADER_CONFIG = Path(__file__).resolve().parent / "nbgrader_config.py"


def assignments(root: Path = SOLUTIONS) -> list[str]:
    """Assignment folder names ("01-neurons", ...) in course order."""
    return sorted(p.name for p in root.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))


def notebook_files(assignment: str, root: Path = SOLUTIONS) -> list[Path]:
    """The notebooks of one assignment, sorted by name."""
    return sorted((root / assignment).glob("*.ipynb"))
