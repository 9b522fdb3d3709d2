"""bpkit: the helper package every notebook of the backprop course imports.

Submodules load on first use (``bpkit.plots`` pulls in matplotlib, ``bpkit.widgets``
ipywidgets), so ``import bpkit`` stays fast.

Modules: activations, losses, network, descent, gradcheck, shapes, graph (computational
graphs), datasets, plots, widgets, testing.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

__version__ = "0.1.0"

_SUBMODULES = tuple(sorted(info.name for info in pkgutil.iter_modules(__path__) if not info.name.startswith("_")))
"""Every module of the package, found on disk: a new module is listed without editing this file."""

__all__ = list(_SUBMODULES)


def __getattr__(name: str) -> ModuleType:
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'bpkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(list(globals()) + list(_SUBMODULES))
