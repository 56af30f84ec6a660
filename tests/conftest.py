"""The suite's shared crawl histories (tests/crawl/histories.py), registered here once for every area:
each runs once per session, whichever tests (crawl, hardening) ask for it first."""

from tests.crawl.histories import day2_history, demo_run, misbehaving, reference  # noqa: F401  (fixtures)
