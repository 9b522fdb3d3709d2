"""HTML pages for people (feedback, the class report): Jinja2 templates in ``templates/``, autoescaped.

Every value reaches a page through a template variable, so a message or a name
with ``<`` or ``&`` in it is shown as text, never read as markup.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from autograder.notebooks import exercise_of

TEMPLATES = Path(__file__).resolve().parent / "templates"


def points(value: float) -> str:
    """A score for people to read: 3, 2.5, 7.33."""
    return f"{round(value, 2):g}"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(points=points, exercise=exercise_of)
    return environment


def render(template: str, **context: Any) -> str:
    """The page made from ``templates/<template>`` with ``context``."""
    return _environment().get_template(template).render(**context)
