"""pytest-xdist groups for files that share a result computed once per process: each group runs in one worker."""

import pytest

SAMPLE_CLASS = pytest.mark.xdist_group("sample-class")
"""The users of the ``graded_class`` fixture (the sample class graded once)."""

MISTAKE_CATALOGUE = pytest.mark.xdist_group("mistake-catalogue")
"""The readers of ``tests.test_mistakes.results`` (the mistake catalogue graded once)."""
