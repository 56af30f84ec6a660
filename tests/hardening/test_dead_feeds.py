"""Feed links the site advertises but answers 404 for: every run leaves holes in its walk. The run after
one with holes completes its unfinished work on top of its own incremental work, never instead of it: a
day later, the edited and the deleted articles are seen by the first run (a resumed backfill used to
skip the recrawl window, the gone check and the lastmod check until the dead feeds were given up)."""

from __future__ import annotations

import json

import pytest

from scraper.replica import faults as F
from scraper.replica.server import SITE_DIR, ReplicaServer

from .conftest import db_rows, expected_records, run_crawl, snapshot_time


@pytest.fixture
def replica():
    with ReplicaServer("base", faults={"re:^/rss": F.status(404)}) as srv:
        yield srv


def test_holes_in_the_walk_do_not_hide_edits_and_deletions(replica, tmp_path):
    changes = json.loads((SITE_DIR / "day2" / "changes.json").read_text(encoding="utf-8"))
    edited, deleted = set(changes["edited"]), set(changes["deleted"])
    db = tmp_path / "archive.db"

    first = run_crawl(db, replica.base_url, "--backfill", stats_dir=tmp_path, name="base")
    assert first.returncode == 0, first
    assert first.stats.get("ldtd/fetch_failed/feed"), "the dead feeds were not asked for"
    (row,) = db_rows(db, "SELECT errors FROM crawl_runs")
    assert any(e.get("walk_incomplete") for e in json.loads(row["errors"])), "the run left no hole"

    replica.set_state("day2")
    day2 = run_crawl(db, replica.base_url, stats_dir=tmp_path, name="day2", now=snapshot_time("day2"))
    assert day2.returncode == 0, day2
    expected = expected_records("day2")
    for aid in edited:
        (got,) = db_rows(db, "SELECT sapo, body, updated_at FROM articles WHERE id = ?", [aid])
        assert (got["sapo"], got["updated_at"]) == (expected[aid]["sapo"], expected[aid]["updated_at"]), aid
        assert got["body"] == expected[aid]["body"], aid
    assert {r["article_id"] for r in db_rows(db, "SELECT article_id FROM article_versions")} >= edited
    for aid in deleted:
        (got,) = db_rows(db, "SELECT gone_at FROM articles WHERE id = ?", [aid])
        assert got["gone_at"], f"{aid} not marked gone"
    (rec,) = db_rows(db, "SELECT updated, gone FROM crawl_runs WHERE id = 2")
    assert rec["updated"] >= len(edited) and rec["gone"] == len(deleted), rec
    # and the holes were filled on top: the run completed the backfill they left unfinished
    assert day2.stats.get("ldtd/resumed_from") and day2.stats.get("ldtd/completes") == "backfill", day2
