"""Defaults that several parts of the tool share, each defined once (a cheap import for the CLI)."""

GRADE_TIMEOUT = 30
"""Seconds a cell may run when grading (bpcourse grade, and nbgrader's own autograde)."""
CHECK_TIMEOUT = 60
"""Seconds a cell may run in a learner's self-check: their machine may be slow."""
DEMO_TIMEOUT = 10
"""Seconds a cell may run in the demo: its looping students need not wait long."""
