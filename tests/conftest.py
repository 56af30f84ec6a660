"""The suite's shared crawl histories (tests/crawl/histories.py), registered here once for every area:
each runs once per session, whichever tests (crawl, hardening) ask for it first."""

import pytest

from tests.crawl.histories import day2_history, demo_run, reference  # noqa: F401  (fixtures)
from tests.crawl.site_under_fire import site_under_fire  # noqa: F401  (fixture)


# Two pytest-xdist workers (`make test` runs `pytest -n 2 --dist loadgroup`): every test that reads one of
# the shared crawl histories runs in one group, so that each history is crawled once per suite, not once
# per worker; every other test is grouped with its file, so that a module's fixtures are built once.
HISTORY_MODULES = {"tests.crawl.histories", "tests.crawl.site_under_fire"}


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook turns the marks into the scheduler's groups
def pytest_collection_modifyitems(items):
    for item in items:
        defs = getattr(item, "_fixtureinfo", None)
        uses_history = defs is not None and any(
            d.func.__module__ in HISTORY_MODULES for fixturedefs in defs.name2fixturedefs.values() for d in fixturedefs)
        item.add_marker(pytest.mark.xdist_group("crawl-histories" if uses_history else item.nodeid.split("::")[0]))


def pytest_collection_finish(session):
    """xdist marks a grouped test by suffixing its node id with @group; where it cannot (pytest 9 with
    xdist 3.8), every history would be crawled once per worker: say so instead of doubling the crawls."""
    items = session.items
    if getattr(session.config.option, "loadgroup", False) and items and "@" not in items[0].nodeid:
        raise pytest.UsageError("pytest-xdist could not group the tests (--dist loadgroup): "
                                "pin the pytest and pytest-xdist versions pyproject.toml names")
