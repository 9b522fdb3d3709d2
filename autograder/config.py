"""Load nbgrader's configuration with paths set for this run."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from autograder.paths import NBGRADER_CONFIG


def put_venv_on_path() -> None:
    """nbgrader runs the ``alembic`` command by name; make sure this environment's is found."""
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")


def nbgrader_config(workspace: Path, release_dir: Path | None = None, db_url: str | None = None) -> Config:
    """autograder/nbgrader_config.py, with the workspace (and optionally release dir, DB) overridden."""
    put_venv_on_path()
    previous = os.environ.get("BPCOURSE_WORKSPACE")
    os.environ["BPCOURSE_WORKSPACE"] = str(workspace)
    try:
        config = PyFileConfigLoader(NBGRADER_CONFIG.name, str(NBGRADER_CONFIG.parent)).load_config()
    finally:
        if previous is None:
            del os.environ["BPCOURSE_WORKSPACE"]
        else:
            os.environ["BPCOURSE_WORKSPACE"] = previous
    if release_dir is not None:
        config.CourseDirectory.release_directory = str(release_dir)
    if db_url is not None:
        config.CourseDirectory.db_url = db_url
    return config
