"""On one core there is no store process: the crawl parses inline and stores from its writer thread.
CI's machines have two cores, so that path runs only when asked for."""

from __future__ import annotations

from scraper.storage.archive import Archive

from .conftest import db_rows, expected_records, snapshot_time


def test_backfill_without_the_store_process_archives_every_article(replica, crawl, tmp_path):
    db = tmp_path / "archive.db"
    run = crawl(db, replica.base_url, "--backfill", now=snapshot_time("base"), settings={"LDTD_STORE_PROCESS": "0"})
    assert run.returncode == 0 and run.outcome == "ok", run
    assert run.stats["ldtd/parsed"] == run.stats["ldtd/parsed_by/selectors"] >= 48
    expected = expected_records("base")
    with Archive.open(db) as archive:
        for aid, exp in expected.items():
            got = archive.record(aid)
            assert got is not None, f"article {aid} not archived"
            for key in ("title", "sapo", "body", "body_html", "published_at", "tags", "images", "related"):
                assert got[key] == exp[key], f"article {aid}: {key} differs"
    (row,) = db_rows(db, "SELECT outcome, new FROM crawl_runs")
    assert row == {"outcome": "ok", "new": len(db_rows(db, "SELECT id FROM articles"))}
