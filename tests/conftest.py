"""The suite's shared crawl histories (tests/crawl/histories.py), registered here once for every area:
each runs once per session, whichever tests (crawl, hardening) ask for it first."""

import pytest

from tests.crawl.histories import day2_history, demo_run, reference  # noqa: F401  (fixtures)
from tests.crawl.site_under_fire import site_under_fire  # noqa: F401  (fixture)


# Two pytest-xdist workers (`make test` runs `pytest -n 2 --dist loadgroup`): every test that reads one of
# the shared crawl histories runs in one group, so that each history is crawled once per suite, not once
# per worker; every other test is grouped with its file, so that a module's fixtures are built once.
HISTORY_MODULES = {"tests.crawl.histories", "tests.crawl.site_under_fire"}


def pytest_collection_modifyitems(items):
    for item in items:
        defs = getattr(item, "_fixtureinfo", None)
        uses_history = defs is not None and any(
            d.func.__module__ in HISTORY_MODULES for fixturedefs in defs.name2fixturedefs.values() for d in fixturedefs)
        item.add_marker(pytest.mark.xdist_group("crawl-histories" if uses_history else item.nodeid.split("::")[0]))
