"""Grading one notebook, as a pipeline of named steps, one module each (as nbgrader lists its preprocessors):

1. ``read``    the submitted notebook, or why it cannot be graded;
2. ``merge``   the instructor's notebook with the learner's answers in its answer cells;
3. ``learner`` run the learner's cells in a fresh kernel, sandboxed when grading;
4. ``checker`` run the test cells, hidden tests included, in this trusted process, where the
   learner's names are proxies (``boundary``) that call into the kernel and bring back data only
   (``wire``); the kernel's side of that is ``agent``;
5. ``score``   one result per test cell, by nbgrader's rule.

``pipeline.grade_notebook`` puts them together. This package's ``__init__`` imports nothing,
because the learner's kernel imports ``agent`` and ``wire`` from it.
"""
