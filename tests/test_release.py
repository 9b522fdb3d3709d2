"""course/ is exactly what nbgrader generates from solutions/."""

from __future__ import annotations

import pytest

from autograder import notebooks as nbs
from autograder.paths import COURSE, SOLUTIONS, assignments, notebook_files
from autograder.release import find_leaks, generate, secret_lines

pytestmark = pytest.mark.slow


def _essence(nb):
    return [(c.cell_type, c.source, c.metadata.get("nbgrader")) for c in nb.cells]


def test_committed_release_equals_a_fresh_generation(tmp_path):
    generate(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_dir()) == assignments(COURSE)
    for name in assignments(SOLUTIONS):
        fresh = notebook_files(name, tmp_path)
        committed = notebook_files(name, COURSE)
        assert [p.name for p in fresh] == [p.name for p in committed]
        for new, old in zip(fresh, committed, strict=False):
            assert _essence(nbs.read(new)) == _essence(nbs.read(old)), f"{old} is stale: run `make release`"


def test_release_has_stubs_where_solutions_were():
    for name in assignments(SOLUTIONS):
        for path in notebook_files(name, COURSE):
            for cell in nbs.read(path).cells:
                if nbs.is_solution_cell(cell) and cell.cell_type == "code":
                    assert "raise NotImplementedError()" in cell.source


def test_leak_scan_finds_a_planted_solution_line(tmp_path):
    name = assignments(SOLUTIONS)[0]
    (source_path,) = notebook_files(name, SOLUTIONS)
    secret = sorted(secret_lines([nbs.read(source_path)])["solution"])[0]
    leaked = tmp_path / name
    leaked.mkdir()
    (leaked / "notes.py").write_text(f"# copied\n    {secret}\n")
    leaks = find_leaks(tmp_path)
    assert [(leak.kind, leak.line) for leak in leaks] == [("solution", secret)]


def test_a_line_shared_by_visible_and_hidden_tests_is_public():
    import nbformat

    cell = nbformat.v4.new_code_cell(
        "check_array('f(x)', f(x), expected)\n### BEGIN HIDDEN TESTS\n"
        "check_array('f(x)', f(x), expected)\ncheck_array('f(y)', f(y), other)\n### END HIDDEN TESTS"
    )
    nb = nbformat.v4.new_notebook(cells=[cell])
    assert secret_lines([nb])["hidden test"] == {"check_array('f(y)', f(y), other)"}
