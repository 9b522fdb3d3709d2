"""nbgrader configuration for the backprop course.

nbgrader's source directory is the repository's ``solutions/`` and its release
directory is ``course/``; everything a grading run writes (submitted,
autograded, feedback, the gradebook) lives in a workspace outside the tracked
tree: ``$BPCOURSE_WORKSPACE`` or ``<repo>/workspace`` (git-ignored).

``bpcourse`` loads this file; plain ``nbgrader`` commands run from this folder
read it too.
"""

import os
from pathlib import Path

from autograder.defaults import GRADE_TIMEOUT

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

REPO = Path(__file__).resolve().parent.parent
WORKSPACE = Path(os.environ.get("BPCOURSE_WORKSPACE", REPO / "workspace")).resolve()

c.CourseDirectory.course_id = "backprop"
c.CourseDirectory.root = str(WORKSPACE)
c.CourseDirectory.source_directory = str(REPO / "solutions")
c.CourseDirectory.release_directory = str(REPO / "course")
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
c.CourseDirectory.db_url = os.environ.get("BPCOURSE_DB", f"sqlite:///{WORKSPACE / 'gradebook.db'}")

c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.enforce_metadata = True
c.Execute.timeout = GRADE_TIMEOUT  # stock `nbgrader autograde` interrupts a cell when bpcourse grade does
c.Execute.allow_errors = True
