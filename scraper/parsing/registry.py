"""The site templates the parser knows, in the order they are tried, and the class index they need."""

from __future__ import annotations

from . import ldtd2020, mastercms
from .templates import PageIndex, Template

TEMPLATES: tuple[Template, ...] = (ldtd2020.TEMPLATE, mastercms.MASTERCMS_2023, mastercms.MASTERCMS_2026)

# The class tokens the templates' selectors name: all a page's PageIndex holds.
VOCABULARY: frozenset[str] = frozenset().union(*(t.classes() for t in TEMPLATES))


def page_index(root) -> PageIndex:
    return PageIndex(root, VOCABULARY)


def detect(index: PageIndex) -> Template | None:
    """The first template that matches the page, else None."""
    for t in TEMPLATES:
        if t.matches(index):
            return t
    return None
