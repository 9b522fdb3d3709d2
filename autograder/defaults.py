"""Defaults that several parts of the tool share, each defined once (a cheap import for the CLI)."""

GRADE_TIMEOUT = 30
"""Seconds a cell may run when grading (bpcourse grade, and nbgrader's own autograde)."""
CHECK_TIMEOUT = 60
"""Seconds a cell may run in a learner's self-check: their machine may be slow."""
DEMO_TIMEOUT = 10
"""Seconds a cell may run in the demo: its looping students need not wait long."""
ONE_BLAS_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
"""The environment that gives a process one BLAS thread (read as numpy loads): grading runs one process per
core, and OpenBLAS's own threads would only spin beside the others, doubling the CPU of small matrix products."""
