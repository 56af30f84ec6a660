"""The suite's shared crawl histories (tests/crawl/histories.py), registered here once for every area:
each runs once per session, whichever tests (crawl, hardening) ask for it first."""

import pytest

from tests.crawl.histories import day2_history, demo_run, reference  # noqa: F401  (fixtures)
from tests.crawl.site_under_fire import site_under_fire  # noqa: F401  (fixture)


# pytest-xdist workers (`make test` runs `pytest -n 3 --dist loadgroup`). A session history must be
# crawled once per suite, not once per worker, and a module's fixtures built once: so a test file with a
# module fixture runs in one group, and the files reading the same history share one (the reference
# backfill and day2_history, which starts from it, count as one); histories that no file shares run in
# parallel. Any other test goes to whichever worker is free.
HISTORY_GROUPS = {"reference": "reference", "reference_db": "reference", "day2_history": "reference",
                  "site_under_fire": "site_under_fire", "demo_run": "demo_run"}


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook turns the marks into the scheduler's groups
def pytest_collection_modifyitems(items):
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    def file_of(item) -> str:
        return item.nodeid.split("::")[0]

    def shares_a_fixture(item) -> bool:
        info = getattr(item, "_fixtureinfo", None)
        return info is not None and any(d.scope in ("module", "class", "package")
                                        for defs in info.name2fixturedefs.values() for d in defs)

    grouped = set()
    for item in items:
        for name in item.fixturenames:
            if name in HISTORY_GROUPS:
                parent[find(file_of(item))] = find("history:" + HISTORY_GROUPS[name])
        if shares_a_fixture(item) or any(name in HISTORY_GROUPS for name in item.fixturenames):
            grouped.add(file_of(item))
    for item in items:
        if file_of(item) in grouped:
            item.add_marker(pytest.mark.xdist_group(find(file_of(item)).removeprefix("history:")))


def pytest_collection_finish(session):
    """xdist marks a grouped test by suffixing its node id with @group; where it cannot (pytest 9 with
    xdist 3.8), every history would be crawled once per worker: say so instead of doubling the crawls."""
    grouped = [item for item in session.items if item.get_closest_marker("xdist_group")]
    if getattr(session.config.option, "loadgroup", False) and grouped and "@" not in grouped[0].nodeid:
        raise pytest.UsageError("pytest-xdist could not group the tests (--dist loadgroup): "
                                "pin the pytest and pytest-xdist versions pyproject.toml names")
