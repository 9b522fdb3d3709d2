"""Load nbgrader's configuration with paths set for this run."""
from __future__ import annotations

import os
from pathlib import Path

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from autograder.paths import NBGRADER_CONFIG


def nbgrader_config(
    workspace: Path, release_dir: Path | None = None, db_url: str | None = None
) -> Config:
    """autograder/nbgrader_config.py, with the workspace (and optionally release dir, DB) overridden."""
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
