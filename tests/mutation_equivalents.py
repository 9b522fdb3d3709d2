"""Surviving mutants judged equivalent to the solution (they compute the same thing), with why.

Key: (assignment, solution grade_id, mutant description as tests/mutation.py prints it).
"""

EQUIVALENT: dict[tuple[str, str, str], str] = {}
