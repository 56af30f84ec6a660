"""The run's outcome and exit code follow what happened to the article fetches, not only the parser."""

from __future__ import annotations

from scraper.crawl.pipeline import decide_outcome
from scraper.replica import faults as F

from .conftest import db_rows, snapshot_time

COUNTS = {"new": 0, "updated": 0, "unchanged": 0, "gone": 0, "failed": 0, "rejected": 0, "conflicts": 0}


def test_a_run_whose_article_fetches_all_fail_is_failed(replica, crawl, tmp_path):
    """Listings answer, every article page answers 403 (blocked) or 503 (down): exit 1, not "ok". (The next
    run, the site answering again, archives what failed: tests/hardening/test_faults.py's healed run.)"""
    db = tmp_path / "a.db"
    replica.add_fault(r"re:[02468]\.(html|media)$", F.status(403))
    replica.add_fault(r"re:[13579]\.(html|media)$", F.status(503))
    run = crawl(db, replica.base_url, now=snapshot_time("base"), settings={"RETRY_TIMES": "0"})
    assert run.returncode == 1 and run.outcome == "failed", run
    assert run.stats.get("ldtd/fetch_failed_reason/HTTP 403") and run.stats.get("ldtd/fetch_failed_reason/HTTP 503")
    (row,) = db_rows(db, "SELECT outcome, failed, errors FROM crawl_runs")
    assert row["outcome"] == "failed" and row["failed"] > 0
    assert "article fetches failed" in row["errors"]


def test_a_few_failed_article_fetches_leave_the_run_ok():
    """(Through a real crawl: tests/hardening/test_faults.py, whose faulty run fails 14 articles and is ok.)"""
    assert decide_outcome(COUNTS, parsed=40, parse_failed=0, pages_ok=60, reason="finished", fail_ratio=0.5,
                          fetch_failed=8) == ("ok", [])
    outcome, why = decide_outcome(COUNTS, parsed=4, parse_failed=0, pages_ok=60, reason="finished", fail_ratio=0.5,
                                  fetch_failed=44)
    assert outcome == "failed" and why == ["44 of 48 article fetches failed (blocked or down?)"]
