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
