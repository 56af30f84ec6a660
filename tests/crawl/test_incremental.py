"""The day2 state ("a day later": new articles on top, two edited, one deleted, one redirected):
the default incremental run fetches what changed, at a fraction of a backfill's requests."""

from __future__ import annotations

import json

from scraper.replica.server import SITE_DIR
from scraper.storage.archive import Archive

from .conftest import db_rows, expected_records, snapshot_time

FIELDS = ("url", "title", "sapo", "body", "body_html", "author", "published_at", "updated_at", "category",
          "category_url", "tags", "images", "related")


def _same(got, exp):
    return {k: (got or {}).get(k) for k in FIELDS} == {k: exp[k] for k in FIELDS}


def test_day2_incremental_run(replica, crawl, tmp_path):
    changes = json.loads((SITE_DIR / "day2" / "changes.json").read_text(encoding="utf-8"))
    new, edited, deleted = set(changes["new"]), set(changes["edited"]), set(changes["deleted"])
    redirected = {int(k): v for k, v in changes["redirected"].items()}
    assert new and edited and deleted and redirected

    db = tmp_path / "archive.db"
    start = len(replica.requests)
    run = crawl(db, replica.base_url, "--backfill", now=snapshot_time("base"))
    assert run.returncode == 0, run
    backfill_requests = len(replica.requests) - start

    replica.set_state("day2")
    start = len(replica.requests)
    run = crawl(db, replica.base_url, now=snapshot_time("day2"))
    assert run.returncode == 0, run
    served = replica.requests[start:]
    paths = [p for _m, p, _s in served]
    assert run.stats["ldtd/walk"] == "incremental"

    base, day2 = expected_records("base"), expected_records("day2")
    with Archive.open(db) as archive:
        # every article of the day2 site as the site now shows it
        for aid, exp in day2.items():
            assert _same(archive.record(aid), exp), f"article {aid} differs from day2"
        # the deleted one: marked gone, its archived content kept
        for aid in deleted:
            (row,) = db_rows(db, "SELECT gone_at FROM articles WHERE id = ?", [aid])
            assert row["gone_at"], f"{aid} not marked gone"
            assert _same(archive.record(aid), base[aid])
    # versions: the earlier state of each edited article (and of the redirected one, whose URL changed)
    versions = db_rows(db, "SELECT article_id, url, title FROM article_versions")
    assert {v["article_id"] for v in versions} == edited | set(redirected)
    for v in versions:
        assert v["url"] == base[v["article_id"]]["url"] and v["title"] == base[v["article_id"]]["title"]
    # the redirected article followed to its new URL
    for aid, r in redirected.items():
        (row,) = db_rows(db, "SELECT url, gone_at FROM articles WHERE id = ?", [aid])
        assert row["url"] == r["to"] and row["gone_at"] is None

    # the new and the edited were fetched; the run record says so
    for aid in new | edited:
        assert any(p.endswith(f"-{aid}.html") or p.endswith(f"-{aid}.media") for p in paths), aid
    (rec,) = db_rows(db, "SELECT * FROM crawl_runs WHERE id = 2")
    assert rec["mode"] == "incremental" and rec["outcome"] == "ok"
    assert rec["new"] == len(new) and rec["gone"] == len(deleted)
    assert rec["updated"] == len(edited) + len(redirected)
    assert rec["requests"] == len(served)

    # far fewer requests than a backfill: cost follows what is new, not the archive's size
    assert len(served) * 2 < backfill_requests, (len(served), backfill_requests)

    # and a second run the same day changes nothing
    start = len(replica.requests)
    run = crawl(db, replica.base_url, now=snapshot_time("day2"))
    assert run.returncode == 0, run
    (rec,) = db_rows(db, "SELECT * FROM crawl_runs WHERE id = 3")
    assert (rec["new"], rec["updated"], rec["gone"], rec["failed"]) == (0, 0, 0, 0)
    assert len(db_rows(db, "SELECT id FROM article_versions")) == len(versions)
