"""The one kind of error the course's tools raise for the person at the keyboard.

Library code raises ``CourseError`` with a message that says what went wrong and
what to do; ``autograder.cli.main`` catches it in one place, prints it and exits
with its ``exit_code``. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

USAGE = 2
"""Exit code for input the command cannot work with (a missing file, an unknown name, a missing tool)."""
FAILED = 1
"""Exit code for a command that ran and found a problem (a leaked solution, a failed generation)."""


class CourseError(Exception):
    """A problem the user can fix; the message says how."""

    def __init__(self, message: str, exit_code: int = USAGE) -> None:
        super().__init__(message)
        self.exit_code = exit_code
