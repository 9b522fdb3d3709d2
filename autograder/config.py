"""Load nbgrader's configuration with paths set for this run, and let nbgrader stamp new gradebooks in-process."""

from __future__ import annotations

import functools
import os
from pathlib import Path

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from autograder.paths import NBGRADER_CONFIG


@functools.cache
def alembic_head() -> str:
    """The newest revision of nbgrader's gradebook schema, which nbgrader stamps on a database it creates.

    nbgrader asks for it by running the ``alembic heads`` command, a new Python process that costs a second
    or more per new gradebook; alembic's own API answers the same question in this process, once."""
    from alembic.config import Config as AlembicConfig
    from alembic.script import ScriptDirectory
    from nbgrader.dbutil import ALEMBIC_DIR

    config = AlembicConfig()
    config.set_main_option("script_location", ALEMBIC_DIR)
    return ScriptDirectory.from_config(config).get_current_head()


def answer_alembic_in_process() -> None:
    """Make every gradebook nbgrader creates in this process get its schema head from ``alembic_head``."""
    import nbgrader.api

    nbgrader.api.get_alembic_version = alembic_head


def nbgrader_config(workspace: Path, release_dir: Path | None = None, db_url: str | None = None) -> Config:
    """autograder/nbgrader_config.py, with the workspace (and optionally release dir, DB) overridden."""
    answer_alembic_in_process()
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
