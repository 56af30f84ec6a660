"""The parser of this checkout or of another one (a baseline), whatever its layout."""

from __future__ import annotations

import importlib


def parse_article_of(package: str = "scraper"):
    """`parse_article` of a `scraper` package: in `parsing.article` since the package's `__init__`
    imports nothing, in `parsing` itself before (the baseline commits)."""
    try:
        return importlib.import_module(f"{package}.parsing.article").parse_article
    except ModuleNotFoundError as exc:
        if exc.name != f"{package}.parsing.article":
            raise
        return importlib.import_module(f"{package}.parsing").parse_article
