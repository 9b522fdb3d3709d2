"""``import bpkit`` is light: no matplotlib, ipywidgets or nbgrader until a submodule needs them."""

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
