"""The run's outcome and exit code follow what happened to the article fetches, not only the parser.
(Through real crawls: a run whose article fetches all fail, tests/crawl/test_crawl.py's tiny site; a few
failures, tests/hardening/test_faults.py.)"""

from __future__ import annotations

from scraper.crawl.pipeline import decide_outcome


def test_a_few_failed_article_fetches_leave_the_run_ok():
    """(Through a real crawl: tests/hardening/test_faults.py, whose faulty run fails 14 articles and is ok.)"""
    assert decide_outcome(parsed=40, parse_failed=0, pages_ok=60, reason="finished", fail_ratio=0.5,
                          fetch_failed=8) == ("ok", [])
    outcome, why = decide_outcome(parsed=4, parse_failed=0, pages_ok=60, reason="finished", fail_ratio=0.5,
                                  fetch_failed=44)
    assert outcome == "failed" and why == ["44 of 48 article fetches failed (blocked or down?)"]
