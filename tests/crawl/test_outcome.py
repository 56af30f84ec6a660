"""The run's outcome and exit code follow what happened to the article fetches, not only the parser."""

from __future__ import annotations

import pytest

from scraper.replica import faults as F

from .conftest import db_rows, snapshot_time

ARTICLES = r"re:-\d+\.(html|media)$"


@pytest.mark.parametrize("status", [403, 503])
def test_a_run_whose_article_fetches_all_fail_is_failed(replica, crawl, tmp_path, status):
    """Listings answer, every article page answers 403 (blocked) or 503 (down): exit 1, not "ok"."""
    db = tmp_path / "a.db"
    replica.add_fault(ARTICLES, F.status(status))
    run = crawl(db, replica.base_url, now=snapshot_time("base"), settings={"RETRY_TIMES": "0"})
    assert run.returncode == 1 and run.outcome == "failed", run
    (row,) = db_rows(db, "SELECT outcome, failed, errors FROM crawl_runs")
    assert row["outcome"] == "failed" and row["failed"] > 0
    assert "article fetches failed" in row["errors"]

    # the site answers again: the next run archives everything and is ok
    replica.clear_faults()
    run = crawl(db, replica.base_url, now=snapshot_time("base"))
    assert run.returncode == 0 and run.outcome == "ok", run
    assert db_rows(db, "SELECT count(*) n FROM articles")[0]["n"] >= 48


def test_a_few_failed_article_fetches_leave_the_run_ok(replica, crawl, tmp_path):
    db = tmp_path / "a.db"
    replica.add_fault(r"re:-2029\d\d\.html$", F.status(403))
    run = crawl(db, replica.base_url, now=snapshot_time("base"), settings={"RETRY_TIMES": "0"})
    assert run.returncode == 0 and run.outcome == "ok", run
    assert run.stats["ldtd/count/failed"] > 0
