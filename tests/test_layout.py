"""Imports point one way: the product (bpkit, autograder) and the benchmarks never import from tests/."""

import ast

import pytest

from autograder.paths import REPO

PACKAGES = ("bpkit", "autograder", "benchmarks")


def imported_modules(path) -> set[str]:
    """Every module an ``import`` or ``from ... import`` statement in ``path`` names, at any depth."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", PACKAGES)
def test_package_imports_nothing_from_tests(package):
    files = sorted((REPO / package).rglob("*.py"))
    assert files, f"no Python files under {package}/"
    offenders = {
        str(path.relative_to(REPO)): sorted(m for m in imported_modules(path) if m.split(".")[0] == "tests")
        for path in files
    }
    assert not {path: mods for path, mods in offenders.items() if mods}, "move what they need out of tests/"
