"""``import bpkit`` is light: no matplotlib, ipywidgets or nbgrader until a submodule needs them; and reading a
notebook compiles no grammar."""

import subprocess
import sys


def test_import_bpkit_loads_nothing_heavy():
    code = (
        "import sys, time; t = time.perf_counter(); import bpkit; import bpkit.network; "
        "dt = time.perf_counter() - t; "
        "heavy = [m for m in ('matplotlib', 'ipywidgets', 'nbgrader', 'IPython') if m in sys.modules]; "
        "print(heavy, dt)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out[0] == "[]", f"import bpkit pulled in {out}"


def test_reading_a_notebook_compiles_no_grammar():
    """Every grading process imports nbformat, hence jsonschema, which would load rfc3987-syntax and compile 38
    parsers (0.9 s of CPU) if it were installed: `make` removes it (see the Makefile), and notebooks still validate."""
    code = (
        "import sys, nbformat; nb = nbformat.v4.new_notebook(); nbformat.validate(nb)\n"
        "nb.cells = [{'cell_type': 'code'}]\n"
        "try:\n    nbformat.validate(nb)\nexcept nbformat.ValidationError:\n    print('invalid', end=' ')\n"
        "print([m for m in ('rfc3987_syntax', 'lark') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == "invalid []\n", f"{out!r}: run `make` to set up .venv as the Makefile does"


def test_submodules_load_lazily():
    import bpkit

    assert bpkit.shapes.symbolic_shape("A1") == "(n[1], m)"
    assert "descent" in dir(bpkit)


def test_every_module_of_the_package_is_reachable_as_an_attribute():
    import pathlib

    import bpkit

    on_disk = sorted(p.stem for p in pathlib.Path(bpkit.__file__).parent.glob("*.py") if not p.stem.startswith("_"))
    assert "graph" in on_disk
    for name in on_disk:
        assert getattr(bpkit, name).__name__ == f"bpkit.{name}", name
    assert sorted(bpkit.__all__) == on_disk
